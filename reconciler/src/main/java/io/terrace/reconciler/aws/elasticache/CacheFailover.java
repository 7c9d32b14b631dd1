package io.terrace.reconciler.aws.elasticache;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsErrors;
import io.terrace.reconciler.engine.Failover;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ElastiCacheException;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * Moves the primary role of an environment's Redis replication group to a replica: TestFailover
 * on the node group when automatic failover is on (ElastiCache picks the replica, as it would on a
 * failure), ModifyReplicationGroup with PrimaryClusterId when a node is named or failover is off;
 * then waits until the node group's primary is another node and the group is available.
 */
public final class CacheFailover {

    private CacheFailover() {}

    /** @return {@code cache: <new primary> is the primary (was <old>)} */
    public static String failover(ElastiCacheClient ec, String env, Optional<String> target,
            BiConsumer<String, BooleanSupplier> await) {
        String id = ResourceNames.cacheGroup(env);
        ReplicationGroup g = ElastiCacheLive.group(ec, id).filter(x -> !ElastiCacheLive.isDeleting(x))
                .orElseThrow(() -> new Failover.Refused(env + ": no cache replication group " + id + " to fail over"));
        String primary = primary(g).orElse("(none)");
        List<String> replicas = nodeGroup(g).map(n -> n.nodeGroupMembers().stream()
                .filter(m -> !"primary".equals(m.currentRole())).map(NodeGroupMember::cacheClusterId).sorted().toList())
                .orElse(List.of());
        if (replicas.isEmpty()) {
            throw new Failover.Refused(env + ": the cache has no replica to fail over to (cache.replicas is 0)");
        }
        if (target.isPresent() && !replicas.contains(target.get())) {
            throw new Failover.Refused(env + ": " + target.get() + " is not a replica of " + id
                    + "; its replicas: " + String.join(", ", replicas));
        }
        String operation = target.isEmpty() && ElastiCacheLive.automaticFailover(g) ? "TestFailover" : "ModifyReplicationGroup";
        try {
            if (operation.equals("TestFailover")) {
                String nodeGroup = nodeGroup(g).orElseThrow().nodeGroupId();
                ec.testFailover(r -> r.replicationGroupId(id).nodeGroupId(nodeGroup));
            } else {
                String to = target.orElse(replicas.get(0));
                ec.modifyReplicationGroup(r -> r.replicationGroupId(id).primaryClusterId(to).applyImmediately(true));
            }
        } catch (ElastiCacheException e) {
            if (AwsErrors.isUnimplemented(e)) {
                throw new IllegalStateException(env + ": cache failover needs " + operation
                        + ", which the AWS endpoint does not implement", e);
            }
            throw e;
        }
        await.accept(env + ": cache failover of replication group " + id + " from " + primary + " (still no other primary"
                + " reported)", () -> ElastiCacheLive.group(ec, id)
                .filter(x -> "available".equals(x.status()))
                .flatMap(CacheFailover::primary)
                .filter(p -> !p.equals(primary) && target.map(p::equals).orElse(true))
                .isPresent());
        String now = ElastiCacheLive.group(ec, id).flatMap(CacheFailover::primary).orElseThrow();
        return "cache: " + now + " is the primary (was " + primary + ")";
    }

    /** Whether the group has a replica to fail over to. */
    public static boolean hasReplica(ElastiCacheClient ec, String env) {
        return ElastiCacheLive.group(ec, ResourceNames.cacheGroup(env)).filter(x -> !ElastiCacheLive.isDeleting(x))
                .map(ElastiCacheLive::replicas).orElse(0) > 0;
    }

    private static Optional<NodeGroup> nodeGroup(ReplicationGroup g) {
        return g.hasNodeGroups() && !g.nodeGroups().isEmpty() ? Optional.of(g.nodeGroups().get(0)) : Optional.empty();
    }

    private static Optional<String> primary(ReplicationGroup g) {
        return nodeGroup(g).flatMap(n -> n.nodeGroupMembers().stream().filter(m -> "primary".equals(m.currentRole()))
                .map(NodeGroupMember::cacheClusterId).findFirst());
    }
}
