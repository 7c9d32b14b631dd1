package io.terrace.reconciler.aws;

import io.terrace.planner.AttributeChange;
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
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The CloudFront distribution in front of an environment, found by its comment. Its origin is the
 * load balancer named by the network stack's {@code LoadBalancerDnsName} output; its viewer
 * certificate is the ACM certificate of the stack's optional {@code CertificateArn} output (else
 * the live one is kept, else CloudFront's default). Updates rewrite the configuration Terrace
 * manages with GetDistributionConfig + UpdateDistribution under the ETag (If-Match), keeping a web
 * ACL or logging someone attached; a tag-only change does not redeploy. Deletion disables the
 * distribution, waits for the deployment, then deletes it.
 */
public record CloudFrontDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.CLOUDFRONT_DISTRIBUTION;
    }

    /** Found by its comment; of several, the one {@link CloudFrontLive#pick} prefers. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        CloudFrontClient cf = aws.cloudFront;
        String env = desired.environment();
        String comment = CloudFrontConfig.comment(env);
        List<CloudFrontLive.View> existing = CloudFrontLive.byComment(cf, Set.of(comment)).getOrDefault(comment, List.of());
        if (existing.isEmpty()) {
            return LiveRead.ABSENT;
        }
        Map<String, Map<String, String>> tags = new HashMap<>();
        existing.forEach(v -> tags.put(v.arn(), CloudFrontLive.listTags(cf, v.arn())));
        CloudFrontLive.View v = CloudFrontLive.pick(env, existing, tags);
        return new LiveRead.Present(CloudFrontLive.observed(env, v, tags.get(v.arn())));
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        CloudFrontClient cf = aws.cloudFront;
        String env = desired.environment();
        NetworkPlacement network = NetworkPlacement.of(env, context);
        ViewerCertificate certificate = network.optionalOutput("CertificateArn")
                .map(CloudFrontConfig::acmCertificate).orElseGet(CloudFrontConfig::defaultCertificate);
        String callerReference = "terrace-" + env + "-" + context.clock().millis();
        DistributionConfig config = CloudFrontConfig.build(desired, callerReference,
                network.output("LoadBalancerDnsName"), certificate);
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
        NetworkPlacement network = NetworkPlacement.of(env, context);
        String origin = network.output("LoadBalancerDnsName");
        var certificateArn = network.optionalOutput("CertificateArn");
        GetDistributionConfigResponse current = cf.getDistributionConfig(r -> r.id(id));
        DistributionConfig have = current.distributionConfig();
        var view = CloudFrontLive.distribution(cf, id).map(CloudFrontLive.View::of).orElseThrow(() ->
                new IllegalStateException(live.address() + ": distribution " + id + " has disappeared"));
        boolean certificateChange = certificateArn.isPresent() && have.viewerCertificate() != null
                && !certificateArn.get().equals(have.viewerCertificate().acmCertificateArn());
        if (differs(desired, env, view, origin) || certificateChange) {
            ViewerCertificate certificate = certificateArn.map(CloudFrontConfig::acmCertificate)
                    .orElse(have.viewerCertificate() != null ? have.viewerCertificate() : CloudFrontConfig.defaultCertificate());
            DistributionConfig want = CloudFrontConfig.build(desired, have.callerReference(), origin, certificate)
                    .toBuilder().webACLId(have.webACLId()).logging(have.logging()).build();
            cf.updateDistribution(r -> r.id(id).ifMatch(current.eTag()).distributionConfig(want));
        }
        ObservedResource after = awaitDeployed(cf, context, env, id);
        syncTags(cf, after.attributes().get("arn").toString(), after.tags(), desired.tags());
        return CloudFrontLive.observed(env, CloudFrontLive.View.of(CloudFrontLive.distribution(cf, id).orElseThrow()),
                CloudFrontLive.listTags(cf, after.attributes().get("arn").toString()));
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

    /** Whether the live configuration differs from the desired one in anything Terrace manages. */
    private static boolean differs(Resource desired, String env, CloudFrontLive.View view, String origin) {
        Map<String, Object> live = CloudFrontLive.observed(env, view, Map.of()).attributes();
        for (var e : desired.attributes().entrySet()) {
            if (!Objects.equals(e.getValue(), live.get(e.getKey()))) {
                return true;
            }
        }
        List<String> paths = new ArrayList<>(List.of(CloudFrontConfig.UPLOADS_PATH));
        paths.addAll(CloudFrontConfig.ASSET_PATHS);
        return !origin.equals(live.get("origin")) || !paths.equals(live.get("paths"));
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
