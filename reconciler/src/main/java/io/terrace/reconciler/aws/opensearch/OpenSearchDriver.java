package io.terrace.reconciler.aws.opensearch;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.network.NetworkPlacement;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Search;
import io.terrace.planner.Component;
import io.terrace.planner.ResourceNames;
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
 * awareness; the data security group; encryption at rest, node-to-node and HTTPS only (TLS 1.2);
 * fine-grained access control with the web task role as master user; an access policy letting
 * in only the environment's WordPress task roles ({@link SearchAccess}); its logs published to
 * Terrace's groups, after the region's CloudWatch Logs resource policy that allows it is put. An
 * engine version change is an in-place UpgradeDomain; instance type, count, zone awareness,
 * access and log publishing go through UpdateDomainConfig.
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
                .<LiveRead>map(d -> new LiveRead.Present(observed(desired.environment(), d)))
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
        String account = SearchAccess.account(network.stack().id());
        String region = SearchAccess.region(network.stack().id());
        String arn = SearchAccess.domainArn(region, account, name);
        SearchAccess.putDeliveryPolicy(aws.logs, deliveryPolicyName(desired), region, account);
        os.createDomain(r -> r.domainName(name)
                .engineVersion((String) a.get(Search.ENGINE_VERSION))
                .clusterConfig(clusterConfig(desired))
                .ebsOptions(e -> e.ebsEnabled(true).volumeType("gp3").volumeSize(VOLUME_GIB))
                .vpcOptions(vpcOptions(network, zoneAware))
                .encryptionAtRestOptions(e -> e.enabled(true))
                .nodeToNodeEncryptionOptions(e -> e.enabled(true))
                .domainEndpointOptions(e -> e.enforceHTTPS(true).tlsSecurityPolicy("Policy-Min-TLS-1-2-2019-07"))
                .advancedSecurityOptions(SearchAccess.fineGrained(account, masterRole(desired)))
                .accessPolicies(SearchAccess.accessPolicy(arn, accessRoles(desired)))
                .logPublishingOptionsWithStrings(SearchAccess.publishing(region, account, publishing(desired), Map.of()))
                .offPeakWindowOptions(offPeak(desired))
                .tagList(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build())));
        DomainStatus d = awaitSettled(os, context, name, x -> x.endpoint() != null || x.hasEndpoints());
        return observed(env, d);
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
        UpdateDomainConfigRequest.Builder update = UpdateDomainConfigRequest.builder().domainName(name);
        boolean updated = false;
        if (!want.instanceTypeAsString().equals(have.instanceTypeAsString())
                || !want.instanceCount().equals(have.instanceCount()) || zoneChange) {
            update.clusterConfig(want);
            if (zoneChange && d.vpcOptions() != null) {
                // Zone awareness needs a subnet in each of two zones; without it, exactly one.
                update.vpcOptions(vpcOptions(NetworkPlacement.of(desired.environment(), context),
                        want.zoneAwarenessEnabled()));
            }
            updated = true;
        }
        updated |= accessAndLogs(desired, d, changes, update);
        if (updated) {
            os.updateDomainConfig(update.build());
            d = awaitSettled(os, context, name, x -> matches(x.clusterConfig(), want));
        }
        String offPeak = (String) a.get(Search.OFF_PEAK_START);
        if (offPeak != null && !offPeak.equals(observed(desired.environment(), d).attributes().get(Search.OFF_PEAK_START))) {
            os.updateDomainConfig(r -> r.domainName(name).offPeakWindowOptions(offPeak(desired)));
            d = awaitSettled(os, context, name, x -> true);
        }
        syncTags(os, d.arn(), OpenSearchLive.listTags(os, d.arn()), desired.tags());
        return observed(desired.environment(), d);
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

    /**
     * Adds to {@code update} the access and log settings the plan found changed (AWS does not
     * describe the master user back, so it is sent again with fine-grained access control only),
     * putting the region's delivery policy first when it is missing or logs change.
     */
    private boolean accessAndLogs(Resource desired, DomainStatus d, List<AttributeChange> changes,
            UpdateDomainConfigRequest.Builder update) {
        String account = SearchAccess.account(d.arn());
        String region = SearchAccess.region(d.arn());
        boolean updated = false;
        if (changed(changes, Search.LOG_DELIVERY_POLICY) || changed(changes, Search.LOG_PUBLISHING)) {
            SearchAccess.putDeliveryPolicy(aws.logs, deliveryPolicyName(desired), region, account);
        }
        if (changed(changes, Search.FINE_GRAINED_ACCESS)) {
            update.advancedSecurityOptions(SearchAccess.fineGrained(account, masterRole(desired)));
            updated = true;
        }
        if (changed(changes, Search.ACCESS_ROLES)) {
            update.accessPolicies(SearchAccess.accessPolicy(d.arn(), accessRoles(desired)));
            updated = true;
        }
        if (changed(changes, Search.LOG_PUBLISHING)) {
            update.logPublishingOptionsWithStrings(SearchAccess.publishing(region, account, publishing(desired),
                    SearchAccess.observedPublishing(d)));
            updated = true;
        }
        return updated;
    }

    private static boolean changed(List<AttributeChange> changes, String key) {
        return changes.stream().anyMatch(c -> c.path().equals(key) || c.path().startsWith(key + "."));
    }

    private ObservedResource observed(String env, DomainStatus d) {
        return OpenSearchLive.observed(env, d, OpenSearchLive.listTags(aws.openSearch, d.arn()),
                SearchAccess.deliveryPolicies(aws.logs));
    }

    /** The master user: the web task role, whose WordPress creates the indexes. */
    private static String masterRole(Resource desired) {
        return ResourceNames.taskRole(desired.environment(), Component.WEB);
    }

    @SuppressWarnings("unchecked")
    private static List<String> accessRoles(Resource desired) {
        return (List<String>) desired.attributes().get(Search.ACCESS_ROLES);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> publishing(Resource desired) {
        return (Map<String, String>) desired.attributes().get(Search.LOG_PUBLISHING);
    }

    private static String deliveryPolicyName(Resource desired) {
        return (String) desired.attributes().get(Search.LOG_DELIVERY_POLICY);
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
