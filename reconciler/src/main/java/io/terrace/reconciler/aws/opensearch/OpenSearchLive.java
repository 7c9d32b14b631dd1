package io.terrace.reconciler.aws.opensearch;

import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeKeys.Search;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.planner.ResourceNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.opensearch.model.Tag;

/** Reads of one OpenSearch domain and the mapping to an observed resource, shared by driver and observer. */
final class OpenSearchLive {

    private OpenSearchLive() {}

    static Optional<DomainStatus> domain(OpenSearchClient os, String name) {
        try {
            return Optional.of(os.describeDomain(r -> r.domainName(name)).domainStatus());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> listTags(OpenSearchClient os, String arn) {
        return TerraceTags.fromSdk(os.listTags(r -> r.arn(arn)).tagList(), Tag::key, Tag::value);
    }

    /** Created, not being deleted, and no configuration change or upgrade in progress. */
    static boolean isSettled(DomainStatus d) {
        return Boolean.TRUE.equals(d.created()) && !Boolean.TRUE.equals(d.deleted())
                && !Boolean.TRUE.equals(d.processing()) && !Boolean.TRUE.equals(d.upgradeProcessing());
    }

    /** The domain as observed; {@code deliveryPolicies} are the region's CloudWatch Logs resource policies. */
    static ObservedResource observed(String env, DomainStatus d, Map<String, String> tags,
            List<ResourcePolicy> deliveryPolicies) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(Search.ENGINE_VERSION, d.engineVersion());
        var cluster = d.clusterConfig();
        a.put(Search.INSTANCE_TYPE, cluster.instanceTypeAsString());
        a.put(Search.INSTANCE_COUNT, cluster.instanceCount() == null ? 0 : cluster.instanceCount());
        a.put(Search.ZONE_AWARENESS, Boolean.TRUE.equals(cluster.zoneAwarenessEnabled()));
        var security = d.advancedSecurityOptions();
        a.put(Search.FINE_GRAINED_ACCESS, security != null && Boolean.TRUE.equals(security.enabled())
                && !Boolean.TRUE.equals(security.internalUserDatabaseEnabled()));
        a.put(Search.ACCESS_ROLES, SearchAccess.observedRoles(d.arn(), d.accessPolicies()));
        a.put(Search.LOG_PUBLISHING, SearchAccess.observedPublishing(d));
        SearchAccess.deliveryPolicyIn(deliveryPolicies, ResourceNames.SEARCH_LOG_DELIVERY_POLICY,
                SearchAccess.region(d.arn()), SearchAccess.account(d.arn()))
                .ifPresent(name -> a.put(Search.LOG_DELIVERY_POLICY, name));
        if (d.offPeakWindowOptions() != null && Boolean.TRUE.equals(d.offPeakWindowOptions().enabled())
                && d.offPeakWindowOptions().offPeakWindow() != null
                && d.offPeakWindowOptions().offPeakWindow().windowStartTime() != null) {
            var start = d.offPeakWindowOptions().offPeakWindow().windowStartTime();
            a.put(Search.OFF_PEAK_START, String.format(java.util.Locale.ROOT, "%02d:%02d",
                    start.hours() == null ? 0 : start.hours(), start.minutes() == null ? 0 : start.minutes()));
        }
        a.put("arn", d.arn());
        a.put("processing", Boolean.TRUE.equals(d.processing()) || Boolean.TRUE.equals(d.upgradeProcessing()));
        String endpoint = d.hasEndpoints() && d.endpoints().containsKey("vpc") ? d.endpoints().get("vpc") : d.endpoint();
        if (endpoint != null) {
            a.put(Search.ENDPOINT, endpoint);
        }
        if (d.vpcOptions() != null && d.vpcOptions().hasSubnetIds()) {
            a.put("subnetIds", d.vpcOptions().subnetIds());
        }
        return new ObservedResource(env + "/search/domain", ResourceType.OPENSEARCH_DOMAIN, d.domainName(), a, tags);
    }
}
