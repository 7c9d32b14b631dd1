package io.terrace.reconciler.aws.cloudfront;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.acm.AcmCertificates;
import io.terrace.reconciler.aws.network.NetworkPlacement;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.reconciler.aws.waf.WebAcls;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.Tag;

/**
 * The CloudFront distribution in front of an environment, found by its tag and comment. Its origin is the
 * load balancer named by the network stack's {@code LoadBalancerDnsName} output, over HTTPS once the
 * stack has its {@code HttpsListenerArn}, with the origin secret header; its aliases and viewer
 * certificate are the environment's us-east-1 ACM certificate once issued (CloudFront's default
 * certificate and no aliases until then: see {@link CloudFrontConfig}). Updates rewrite the
 * configuration Terrace manages with GetDistributionConfig + UpdateDistribution under the ETag
 * (If-Match), keeping logging someone attached, associating the environment's web ACL (production)
 * and no other, and only when what Terrace manages
 * differs ({@link #essence}); a tag-only change does not redeploy. Deletion disables the
 * distribution, waits for the deployment, then deletes it.
 */
public record CloudFrontDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.CLOUDFRONT_DISTRIBUTION;
    }

    /**
     * Terrace's distribution of the environment: one the tagging API in us-east-1 lists with its
     * {@code terrace:environment} tag and whose comment is the environment's (of several, the one
     * {@link CloudFrontLive#pick} prefers), read with GetDistribution. Not looked for in the
     * account's list, which grows with the fleet: a distribution has no name to collide on, so one
     * someone else made with the comment is not in the way of a create (CloudFront itself refuses
     * an alias another distribution serves); the observer shows it in the plan.
     */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        String env = desired.environment();
        Map<String, Map<String, String>> tags = new HashMap<>();
        List<CloudFrontLive.View> existing = CloudFrontLive.tagged(aws, List.of(env), tags)
                .getOrDefault(CloudFrontConfig.comment(env), List.of());
        if (existing.isEmpty()) {
            return LiveRead.ABSENT;
        }
        CloudFrontLive.View v = CloudFrontLive.pick(env, existing, tags);
        return new LiveRead.Present(CloudFrontLive.observed(env, v, tags.get(v.arn())));
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        CloudFrontClient cf = aws.cloudFront;
        String env = desired.environment();
        String callerReference = "terrace-" + env + "-" + context.clock().millis();
        DistributionConfig config = CloudFrontConfig.build(desired, callerReference, serving(desired, context));
        String id = cf.createDistributionWithTags(r -> r.distributionConfigWithTags(c -> c.distributionConfig(config)
                .tags(t -> t.items(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build())))))
                .distribution().id();
        return awaitDeployed(cf, context, env, id);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        CloudFrontClient cf = aws.cloudFront;
        String env = desired.environment();
        String id = live.id();
        GetDistributionConfigResponse current = cf.getDistributionConfig(r -> r.id(id));
        DistributionConfig have = current.distributionConfig();
        DistributionConfig want = CloudFrontConfig.build(desired, have.callerReference(), serving(desired, context))
                .toBuilder().logging(have.logging()).build();
        if (!essence(want).equals(essence(have))) {
            cf.updateDistribution(r -> r.id(id).ifMatch(current.eTag()).distributionConfig(want));
        }
        ObservedResource after = awaitDeployed(cf, context, env, id);
        syncTags(cf, after.attributes().get("arn").toString(), after.tags(), desired.tags());
        AcmCertificates.retireSuperseded(aws, env, Component.CDN);
        return CloudFrontLive.observed(env, CloudFrontLive.View.of(CloudFrontLive.distribution(cf, id).orElseThrow()),
                CloudFrontLive.listTags(cf, after.attributes().get("arn").toString()));
    }

    /**
     * What the distribution depends on, live: the load balancer (and whether it has its HTTPS
     * listener) from the network stack, the origin secret, and the aliases' certificate once issued.
     */
    private CloudFrontConfig.Serving serving(Resource desired, DriverContext context) {
        String env = desired.environment();
        NetworkPlacement network = NetworkPlacement.of(env, context);
        String secret = OriginSecrets.current(aws.secretsManager, env).orElseThrow(() -> new IllegalStateException(
                "the origin secret " + OriginSecrets.name(env) + " does not exist: apply the network first"));
        Optional<String> certificate = context.live(Address.of(env, Component.CDN, "certificate"))
                .flatMap(c -> AcmCertificates.describe(aws.cdnAcm, c.id()))
                .filter(d -> Certificate.ISSUED.equals(d.statusAsString()))
                .map(CertificateDetail::certificateArn);
        return new CloudFrontConfig.Serving(network.output(NetworkStacks.LOAD_BALANCER_DNS_NAME),
                network.optionalOutput(NetworkStacks.HTTPS_LISTENER_ARN).isPresent(), secret, certificate,
                webAcl(desired, context));
    }

    /** The ARN of the desired web ACL (applied before the distribution), or "" for none. */
    private String webAcl(Resource desired, DriverContext context) {
        Object name = desired.attributes().getOrDefault(Cdn.WEB_ACL, Cdn.NO_WEB_ACL);
        if (Cdn.NO_WEB_ACL.equals(name)) {
            return "";
        }
        return context.live(Address.of(desired.environment(), Component.CDN, "web-acl")).map(ObservedResource::id)
                .or(() -> WebAcls.find(aws, name.toString()).map(s -> s.arn()))
                .orElseThrow(() -> new IllegalStateException("the web ACL " + name + " does not exist yet"));
    }

    /** What Terrace manages of a configuration: equal essences need no UpdateDistribution. */
    static List<Object> essence(DistributionConfig c) {
        List<Object> out = new ArrayList<>();
        out.add(c.enabled());
        out.add(c.priceClassAsString());
        out.add(c.webACLId() == null ? "" : c.webACLId());
        out.add(c.aliases() == null || !c.aliases().hasItems() ? Set.of() : Set.copyOf(c.aliases().items()));
        out.add(c.viewerCertificate() == null ? null : c.viewerCertificate().acmCertificateArn());
        out.add(c.origins() == null || !c.origins().hasItems() ? List.of() : c.origins().items().stream()
                .map(o -> List.of(String.valueOf(o.domainName()),
                        o.customOriginConfig() == null ? "" : o.customOriginConfig().originProtocolPolicyAsString(),
                        o.customHeaders() == null || !o.customHeaders().hasItems() ? List.of()
                                : o.customHeaders().items().stream().map(h -> h.headerName() + "=" + h.headerValue()).toList()))
                .toList());
        var d = c.defaultCacheBehavior();
        out.add(d == null ? null : List.of(String.valueOf(d.viewerProtocolPolicyAsString()), String.valueOf(d.defaultTTL()),
                String.valueOf(d.maxTTL())));
        out.add(c.cacheBehaviors() == null || !c.cacheBehaviors().hasItems() ? List.of() : c.cacheBehaviors().items()
                .stream().map(b -> b.pathPattern() + " " + b.viewerProtocolPolicyAsString() + " " + b.defaultTTL() + " "
                        + b.maxTTL()).toList());
        return out;
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        CloudFrontClient cf = aws.cloudFront;
        String id = live.id();
        GetDistributionConfigResponse current;
        try {
            current = cf.getDistributionConfig(r -> r.id(id));
        } catch (NoSuchDistributionException e) {
            return;
        }
        if (Boolean.TRUE.equals(current.distributionConfig().enabled())) {
            DistributionConfig disabled = current.distributionConfig().toBuilder().enabled(false).build();
            cf.updateDistribution(r -> r.id(id).ifMatch(current.eTag()).distributionConfig(disabled));
        }
        awaitDeployed(cf, context, live.environment(), id);
        String etag = cf.getDistribution(r -> r.id(id)).eTag();
        cf.deleteDistribution(r -> r.id(id).ifMatch(etag));
        context.await("distribution " + id + " deleted", () -> CloudFrontLive.distribution(cf, id).isEmpty());
    }

    private static ObservedResource awaitDeployed(CloudFrontClient cf, DriverContext context, String env, String id) {
        context.await("distribution " + id + " deployed", () -> CloudFrontLive.distribution(cf, id)
                .filter(d -> "Deployed".equals(d.status())).isPresent());
        var d = CloudFrontLive.distribution(cf, id).orElseThrow();
        return CloudFrontLive.observed(env, CloudFrontLive.View.of(d), CloudFrontLive.listTags(cf, d.arn()));
    }

    private static void syncTags(CloudFrontClient cf, String arn, Map<String, String> live, Map<String, String> desired) {
        TagSync.between(live, desired).send(
                set -> cf.tagResource(r -> r.resource(arn).tags(t -> t.items(
                        TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build())))),
                keys -> cf.untagResource(r -> r.resource(arn).tagKeys(k -> k.items(keys))));
    }
}
