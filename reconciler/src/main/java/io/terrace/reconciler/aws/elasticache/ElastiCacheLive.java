package io.terrace.reconciler.aws.elasticache;

import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeKeys.Cache;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheClusterNotFoundException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Tag;

/** Reads of one replication group and the mapping to an observed resource, shared by driver and observer. */
final class ElastiCacheLive {

    private ElastiCacheLive() {}

    static Optional<ReplicationGroup> group(ElastiCacheClient ec, String id) {
        try {
            return ec.describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().stream().findFirst();
        } catch (ReplicationGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * A group whose deletion AWS has accepted: it may stay listed for minutes (on moto forever),
     * but it is no longer the environment's cache.
     */
    static boolean isDeleting(ReplicationGroup g) {
        return "deleting".equals(g.status());
    }

    /**
     * The group's weekly maintenance window, which AWS reports on each member cluster
     * ({@code DescribeCacheClusters}), not on the group: the first member's, or empty when the
     * endpoint does not describe the group's members (moto creates none).
     */
    static Optional<String> maintenanceWindow(ElastiCacheClient ec, ReplicationGroup g) {
        if (!g.hasMemberClusters() || g.memberClusters().isEmpty()) {
            return Optional.empty();
        }
        try {
            return ec.describeCacheClusters(r -> r.cacheClusterId(g.memberClusters().get(0))).cacheClusters().stream()
                    .map(CacheCluster::preferredMaintenanceWindow).filter(w -> w != null).findFirst();
        } catch (CacheClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> listTags(ElastiCacheClient ec, String arn) {
        return TerraceTags.fromSdk(ec.listTagsForResource(r -> r.resourceName(arn)).tagList(), Tag::key, Tag::value);
    }

    /** Replicas of the (single) node group: its members other than the primary. */
    static int replicas(ReplicationGroup g) {
        if (g.hasNodeGroups() && !g.nodeGroups().isEmpty()) {
            return Math.max(0, g.nodeGroups().get(0).nodeGroupMembers().size() - 1);
        }
        return Math.max(0, g.memberClusters().size() - 1);
    }

    static boolean automaticFailover(ReplicationGroup g) {
        String s = g.automaticFailoverAsString();
        return "enabled".equals(s) || "enabling".equals(s);
    }

    static boolean multiAz(ReplicationGroup g) {
        return "enabled".equals(g.multiAZAsString());
    }

    static ObservedResource observed(String env, ReplicationGroup g, Map<String, String> tags) {
        return observed(env, g, tags, Optional.empty());
    }

    /** With the maintenance window read from the group's member clusters, when there is one. */
    static ObservedResource observed(String env, ReplicationGroup g, Map<String, String> tags,
            Optional<String> maintenanceWindow) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(Cache.ENGINE, g.engine() == null ? "redis" : g.engine());
        a.put(Cache.NODE_TYPE, g.cacheNodeType());
        a.put(Cache.REPLICAS, replicas(g));
        a.put(Cache.AUTOMATIC_FAILOVER, automaticFailover(g));
        a.put(Cache.MULTI_AZ, multiAz(g));
        maintenanceWindow.ifPresent(w -> a.put(Cache.MAINTENANCE_WINDOW, w));
        a.put("arn", g.arn());
        a.put("status", g.status());
        if (g.hasNodeGroups() && !g.nodeGroups().isEmpty() && g.nodeGroups().get(0).primaryEndpoint() != null) {
            a.put(Cache.PRIMARY_ENDPOINT, g.nodeGroups().get(0).primaryEndpoint().address());
            if (g.nodeGroups().get(0).primaryEndpoint().port() != null) {
                a.put(Cache.PRIMARY_ENDPOINT_PORT, g.nodeGroups().get(0).primaryEndpoint().port());
            }
        }
        return new ObservedResource(env + "/cache/replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP,
                g.replicationGroupId(), a, tags);
    }
}
