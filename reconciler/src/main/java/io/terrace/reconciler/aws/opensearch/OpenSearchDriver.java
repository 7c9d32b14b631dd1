package io.terrace.reconciler.aws.opensearch;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.network.NetworkPlacement;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Search;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.ClusterConfig;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.opensearch.model.Tag;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigRequest;
import software.amazon.awssdk.services.opensearch.model.VPCOptions;

/**
 * The OpenSearch domain, inside the VPC: one private subnet, or two in two zones with zone
 * awareness; the data security group; encryption at rest, node-to-node and HTTPS only. No
 * resource policy is set, so access is by IAM identity policy (the application's task role)
 * within the security group's reach. An engine version change is an in-place UpgradeDomain;
 * instance type, count and zone awareness go through UpdateDomainConfig.
 */
public record OpenSearchDriver(AwsClients aws) implements ResourceDriver {

    static final int VOLUME_GIB = 20;

    @Override
    public ResourceType type() {
        return ResourceType.OPENSEARCH_DOMAIN;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        OpenSearchClient os = aws.openSearch;
        return OpenSearchLive.domain(os, desired.name())
                .<LiveRead>map(d -> new LiveRead.Present(OpenSearchLive.observed(desired.environment(), d,
                        OpenSearchLive.listTags(os, d.arn()))))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        OpenSearchClient os = aws.openSearch;
        String env = desired.environment();
        String name = desired.name();
        NetworkPlacement network = NetworkPlacement.of(env, context);
        var a = desired.attributes();
        boolean zoneAware = (Boolean) a.get(Search.ZONE_AWARENESS);
        os.createDomain(r -> r.domainName(name)
                .engineVersion((String) a.get(Search.ENGINE_VERSION))
                .clusterConfig(clusterConfig(desired))
                .ebsOptions(e -> e.ebsEnabled(true).volumeType("gp3").volumeSize(VOLUME_GIB))
                .vpcOptions(vpcOptions(network, zoneAware))
                .encryptionAtRestOptions(e -> e.enabled(true))
                .nodeToNodeEncryptionOptions(e -> e.enabled(true))
                .domainEndpointOptions(e -> e.enforceHTTPS(true).tlsSecurityPolicy("Policy-Min-TLS-1-2-2019-07"))
                .offPeakWindowOptions(offPeak(desired))
                .tagList(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build())));
        DomainStatus d = awaitSettled(os, context, name, x -> x.endpoint() != null || x.hasEndpoints());
        return OpenSearchLive.observed(env, d, OpenSearchLive.listTags(os, d.arn()));
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        OpenSearchClient os = aws.openSearch;
        String name = live.id();
        var a = desired.attributes();
        DomainStatus d = awaitSettled(os, context, name, x -> true);
        String version = (String) a.get(Search.ENGINE_VERSION);
        if (!version.equals(d.engineVersion())) {
            os.upgradeDomain(r -> r.domainName(name).targetVersion(version));
            d = awaitSettled(os, context, name, x -> version.equals(x.engineVersion()));
        }
        ClusterConfig want = clusterConfig(desired);
        ClusterConfig have = d.clusterConfig();
        boolean zoneChange = !want.zoneAwarenessEnabled().equals(Boolean.TRUE.equals(have.zoneAwarenessEnabled()));
        if (!want.instanceTypeAsString().equals(have.instanceTypeAsString())
                || !want.instanceCount().equals(have.instanceCount()) || zoneChange) {
            UpdateDomainConfigRequest.Builder update = UpdateDomainConfigRequest.builder().domainName(name)
                    .clusterConfig(want);
            if (zoneChange && d.vpcOptions() != null) {
                // Zone awareness needs a subnet in each of two zones; without it, exactly one.
                update.vpcOptions(vpcOptions(NetworkPlacement.of(desired.environment(), context),
                        want.zoneAwarenessEnabled()));
            }
            os.updateDomainConfig(update.build());
            d = awaitSettled(os, context, name, x -> matches(x.clusterConfig(), want));
        }
        String offPeak = (String) a.get(Search.OFF_PEAK_START);
        if (offPeak != null && !offPeak.equals(OpenSearchLive.observed(desired.environment(), d, Map.of())
                .attributes().get(Search.OFF_PEAK_START))) {
            os.updateDomainConfig(r -> r.domainName(name).offPeakWindowOptions(offPeak(desired)));
            d = awaitSettled(os, context, name, x -> true);
        }
        syncTags(os, d.arn(), OpenSearchLive.listTags(os, d.arn()), desired.tags());
        return OpenSearchLive.observed(desired.environment(), d, OpenSearchLive.listTags(os, d.arn()));
    }

    /** The daily off-peak window starting at the spec's maintenance window's start; none without one. */
    private static software.amazon.awssdk.services.opensearch.model.OffPeakWindowOptions offPeak(Resource desired) {
        String start = (String) desired.attributes().get(Search.OFF_PEAK_START);
        if (start == null) {
            return null;
        }
        int hours = Integer.parseInt(start.substring(0, 2));
        int minutes = Integer.parseInt(start.substring(3));
        return software.amazon.awssdk.services.opensearch.model.OffPeakWindowOptions.builder().enabled(true)
                .offPeakWindow(w -> w.windowStartTime(t -> t.hours((long) hours).minutes((long) minutes))).build();
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        OpenSearchClient os = aws.openSearch;
        try {
            os.deleteDomain(r -> r.domainName(live.id()));
        } catch (ResourceNotFoundException e) {
            return;
        }
        context.await("OpenSearch domain " + live.id() + " deleted", () -> OpenSearchLive.domain(os, live.id()).isEmpty());
    }

    private static ClusterConfig clusterConfig(Resource desired) {
        var a = desired.attributes();
        boolean zoneAware = (Boolean) a.get(Search.ZONE_AWARENESS);
        ClusterConfig.Builder c = ClusterConfig.builder()
                .instanceType((String) a.get(Search.INSTANCE_TYPE))
                .instanceCount(((Number) a.get(Search.INSTANCE_COUNT)).intValue())
                .zoneAwarenessEnabled(zoneAware);
        if (zoneAware) {
            c.zoneAwarenessConfig(z -> z.availabilityZoneCount(2));
        }
        return c.build();
    }

    private static VPCOptions vpcOptions(NetworkPlacement network, boolean zoneAware) {
        List<String> subnets = network.privateSubnetIds();
        int wanted = zoneAware ? 2 : 1;
        if (subnets.size() < wanted) {
            throw new IllegalStateException(network.stack().address() + " has " + subnets.size()
                    + " private subnet(s); a zone-aware search domain needs " + wanted);
        }
        return VPCOptions.builder().subnetIds(subnets.subList(0, wanted))
                .securityGroupIds(network.dataSecurityGroupId()).build();
    }

    private static boolean matches(ClusterConfig live, ClusterConfig want) {
        return want.instanceTypeAsString().equals(live.instanceTypeAsString())
                && want.instanceCount().equals(live.instanceCount())
                && want.zoneAwarenessEnabled().equals(Boolean.TRUE.equals(live.zoneAwarenessEnabled()));
    }

    private static DomainStatus awaitSettled(OpenSearchClient os, DriverContext context, String name,
            Predicate<DomainStatus> done) {
        context.await("OpenSearch domain " + name + " ready", () -> OpenSearchLive.domain(os, name)
                .filter(d -> OpenSearchLive.isSettled(d) && done.test(d)).isPresent());
        return OpenSearchLive.domain(os, name).orElseThrow();
    }

    private static void syncTags(OpenSearchClient os, String arn, Map<String, String> live, Map<String, String> desired) {
        TagSync.between(live, desired).send(
                set -> os.addTags(r -> r.arn(arn)
                        .tagList(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                keys -> os.removeTags(r -> r.arn(arn).tagKeys(keys)));
    }
}
