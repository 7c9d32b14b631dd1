package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.cloudfront.CloudFrontLive;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginSecrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.AttributeKeys.NetworkStack;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.Origin;

/**
 * Environments made before TLS: a stack without the certificate parameter and a distribution
 * without the origin secret header are observed without {@code https} / {@code originProtocol},
 * so the next plan updates both (else the load balancer would refuse what CloudFront sends).
 */
class OlderTemplateUpgradeTest {

    private static Stack stack(Parameter... parameters) {
        return Stack.builder().stackId("id").stackName("terrace-acme-network").stackStatus("CREATE_COMPLETE")
                .parameters(parameters).build();
    }

    @Test
    void aStackWithoutTheCertificateParameterHasNoHttpsAttribute() {
        Parameter zones = Parameter.builder().parameterKey("Zones").parameterValue("1").build();
        assertFalse(NetworkStacks.toObserved("acme/network/stack", stack(zones)).attributes().containsKey(NetworkStack.HTTPS));
        Parameter none = Parameter.builder().parameterKey("CertificateArn").parameterValue("").build();
        assertEquals(false, NetworkStacks.toObserved("acme/network/stack", stack(zones, none)).attributes().get(NetworkStack.HTTPS));
        Parameter some = Parameter.builder().parameterKey("CertificateArn").parameterValue("arn:aws:acm:x").build();
        assertEquals(true, NetworkStacks.toObserved("acme/network/stack", stack(zones, some)).attributes().get(NetworkStack.HTTPS));
    }

    private static DistributionSummary distribution(Origin origin) {
        return DistributionSummary.builder().id("E1").arn("arn").comment("terrace:acme").enabled(true)
                .origins(o -> o.quantity(1).items(origin)).build();
    }

    @Test
    void aDistributionWithoutTheSecretHeaderHasNoOriginProtocol() {
        Origin old = Origin.builder().id("load-balancer").domainName("lb.example")
                .customOriginConfig(c -> c.originProtocolPolicy("http-only")).build();
        var observed = CloudFrontLive.observed("acme", CloudFrontLive.View.of(distribution(old)), Map.of());
        assertFalse(observed.attributes().containsKey(Cdn.ORIGIN_PROTOCOL));

        Origin current = old.toBuilder().customHeaders(h -> h.quantity(1)
                .items(i -> i.headerName(OriginSecrets.HEADER).headerValue("s3cr3t-value"))).build();
        observed = CloudFrontLive.observed("acme", CloudFrontLive.View.of(distribution(current)), Map.of());
        assertEquals("http-only", observed.attributes().get(Cdn.ORIGIN_PROTOCOL));
        assertFalse(observed.toString().contains("s3cr3t-value"));
    }
}
