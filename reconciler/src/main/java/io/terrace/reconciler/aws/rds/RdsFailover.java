package io.terrace.reconciler.aws.rds;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.Failover;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;

/**
 * Promotes a reader of an environment's Aurora cluster to writer with FailoverDBCluster (to the
 * named instance, else the one Aurora picks by promotion tier) and waits until DescribeDBClusters
 * names another writer and the cluster is available again. Terrace's {@code writer} resource is
 * the instance of that name whatever its role, so the next plan after a failover is empty.
 */
public final class RdsFailover {

    private RdsFailover() {}

    /**
     * @param await waits (what, condition) until the condition holds, failing after its timeout
     * @return {@code database: <new writer> is the writer (was <old>)}
     */
    public static String failover(RdsClient rds, String env, Optional<String> target,
            BiConsumer<String, BooleanSupplier> await) {
        String clusterId = ResourceNames.dbCluster(env);
        DBCluster cluster = RdsLive.cluster(rds, clusterId).orElseThrow(() -> new Failover.Refused(
                env + ": no database cluster " + clusterId + " to fail over"));
        String writer = writer(cluster).orElse("(none)");
        List<String> readers = cluster.dbClusterMembers().stream().filter(m -> !Boolean.TRUE.equals(m.isClusterWriter()))
                .map(DBClusterMember::dbInstanceIdentifier).sorted().toList();
        if (readers.isEmpty()) {
            throw new Failover.Refused(env + ": the database has no reader to fail over to (database.readers.min is 0)");
        }
        if (target.isPresent() && !readers.contains(target.get())) {
            throw new Failover.Refused(env + ": " + target.get() + " is not a reader of " + clusterId
                    + "; its readers: " + String.join(", ", readers));
        }
        rds.failoverDBCluster(r -> r.dbClusterIdentifier(clusterId).targetDBInstanceIdentifier(target.orElse(null)));
        await.accept("DB cluster " + clusterId + " failed over from " + writer, () -> RdsLive.cluster(rds, clusterId)
                .filter(c -> "available".equals(c.status()))
                .flatMap(RdsFailover::writer)
                .filter(w -> !w.equals(writer) && target.map(w::equals).orElse(true))
                .isPresent());
        String now = RdsLive.cluster(rds, clusterId).flatMap(RdsFailover::writer).orElseThrow();
        return "database: " + now + " is the writer (was " + writer + ")";
    }

    /** Whether the environment's cluster has a reader to fail over to. */
    public static boolean hasReader(RdsClient rds, String env) {
        return RdsLive.cluster(rds, ResourceNames.dbCluster(env))
                .map(c -> c.dbClusterMembers().stream().anyMatch(m -> !Boolean.TRUE.equals(m.isClusterWriter())))
                .orElse(false);
    }

    private static Optional<String> writer(DBCluster c) {
        return c.dbClusterMembers().stream().filter(m -> Boolean.TRUE.equals(m.isClusterWriter()))
                .map(DBClusterMember::dbInstanceIdentifier).findFirst();
    }
}
