package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.AttributeKeys.DbProxy;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBProxy;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbProxyNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Reads of one Aurora cluster's parts for the drivers, and the mapping from RDS's descriptions to
 * observed resources that the {@link RdsObserver} shares, so a driver's result and an observe
 * sweep always agree.
 */
public final class RdsLive {

    private RdsLive() {}

    static Optional<DBCluster> cluster(RdsClient rds, String id) {
        try {
            return rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters().stream().findFirst();
        } catch (DbClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    static Optional<DBInstance> instance(RdsClient rds, String id) {
        try {
            return rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().stream().findFirst();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The instances of a cluster, any role, that are not on their way out. */
    static List<DBInstance> members(RdsClient rds, String clusterId) {
        return rds.describeDBInstancesPaginator(r -> r.filters(f -> f.name("db-cluster-id").values(clusterId)))
                .dbInstances().stream()
                .filter(i -> clusterId.equals(i.dbClusterIdentifier()) && !"deleting".equals(i.dbInstanceStatus()))
                .toList();
    }

    /** The cluster's instances other than Terrace's writer: its own readers and any an autoscaler added. */
    static List<DBInstance> readers(String env, List<DBInstance> members) {
        String writer = ResourceNames.dbWriter(env);
        return members.stream().filter(i -> !i.dbInstanceIdentifier().equals(writer))
                .sorted(Comparator.comparing(DBInstance::dbInstanceIdentifier)).toList();
    }

    static Optional<DBProxy> proxy(RdsClient rds, String name) {
        try {
            return rds.describeDBProxies(r -> r.dbProxyName(name)).dbProxies().stream().findFirst();
        } catch (DbProxyNotFoundException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> tags(List<Tag> tags) {
        return TerraceTags.fromSdk(tags, Tag::key, Tag::value);
    }

    /** The cluster as observed, with the parameters Terrace sets as its parameter group holds them. */
    static ObservedResource observedCluster(RdsClient rds, String env, DBCluster c) {
        return observedCluster(env, c, parameters(rds, c.dbClusterParameterGroup()));
    }

    /**
     * The values Terrace manages ({@link DesiredState#DATABASE_PARAMETERS}) among the user-set
     * parameters of one of its groups (named {@code terrace-*}); none for another group.
     */
    static Map<String, Object> parameters(RdsClient rds, String group) {
        Map<String, Object> out = new TreeMap<>();
        if (group == null || !group.startsWith("terrace-")) {
            return out;
        }
        try {
            for (Parameter p : rds.describeDBClusterParametersPaginator(r -> r.dbClusterParameterGroupName(group)
                    .source("user")).parameters()) {
                if (DesiredState.DATABASE_PARAMETERS.containsKey(p.parameterName()) && p.parameterValue() != null) {
                    out.put(p.parameterName(), p.parameterValue());
                }
            }
        } catch (DbParameterGroupNotFoundException e) {
            // Named by the cluster but gone: nothing set.
        }
        return out;
    }

    static ObservedResource observedCluster(String env, DBCluster c, Map<String, Object> parameters) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(DbCluster.ENGINE, c.engine());
        a.put(DbCluster.ENGINE_VERSION, AuroraVersion.major(c.engineVersion()));
        a.put(DbCluster.DELETION_PROTECTION, Boolean.TRUE.equals(c.deletionProtection()));
        a.put(DbCluster.BACKUP_RETENTION_DAYS, c.backupRetentionPeriod() == null ? 0 : c.backupRetentionPeriod());
        a.put(DbCluster.MANAGED_MASTER_PASSWORD, c.masterUserSecret() != null);
        a.put(DbCluster.PARAMETER_GROUP, c.dbClusterParameterGroup());
        a.put(DbCluster.PARAMETERS, parameters);
        a.put(DbCluster.LOG_EXPORTS, c.hasEnabledCloudwatchLogsExports()
                ? List.copyOf(new TreeSet<>(c.enabledCloudwatchLogsExports())) : List.of());
        putIfPresent(a, DbCluster.MAINTENANCE_WINDOW, c.preferredMaintenanceWindow());
        a.put("arn", c.dbClusterArn());
        a.put("status", c.status());
        a.put("engineVersionFull", c.engineVersion());
        putIfPresent(a, DbCluster.ENDPOINT, c.endpoint());
        putIfPresent(a, DbCluster.READER_ENDPOINT, c.readerEndpoint());
        putIfPresent(a, "port", c.port());
        if (c.masterUserSecret() != null) {
            // The ARN of the secret RDS keeps the master password in, never the password itself.
            putIfPresent(a, DbCluster.MASTER_USER_SECRET_ARN, c.masterUserSecret().secretArn());
        }
        return new ObservedResource(env + "/database/cluster", ResourceType.RDS_CLUSTER,
                c.dbClusterIdentifier(), a, tags(c.tagList()));
    }

    static ObservedResource observedWriter(String env, DBInstance i, boolean isClusterWriter) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(DbInstances.INSTANCE_CLASS, i.dbInstanceClass());
        a.putAll(monitoring(i));
        a.put("arn", i.dbInstanceArn());
        a.put("status", i.dbInstanceStatus());
        a.put("isClusterWriter", isClusterWriter);
        if (i.endpoint() != null) {
            putIfPresent(a, "endpoint", i.endpoint().address());
        }
        return new ObservedResource(env + "/database/writer", ResourceType.RDS_WRITER,
                i.dbInstanceIdentifier(), a, tags(i.tagList()));
    }

    /**
     * The reader set: {@code count} counts every reader (an autoscaler's too); its instance class
     * is the readers' common class, or the writer's while there are none (the spec gives both the
     * same class, so an empty set is never a difference). Tags are those of a Terrace-named reader
     * that lacks Terrace's tags if there is one (so the planner blocks it), else of a Terrace
     * reader, else of the cluster.
     */
    static ObservedResource observedReaders(String env, DBCluster cluster, List<DBInstance> members) {
        List<DBInstance> readers = readers(env, members);
        String prefix = ResourceNames.dbReaderPrefix(env);
        TreeSet<String> classes = new TreeSet<>();
        readers.forEach(r -> classes.add(r.dbInstanceClass()));
        if (classes.isEmpty()) {
            members.stream().filter(m -> m.dbInstanceIdentifier().equals(ResourceNames.dbWriter(env)))
                    .findFirst().ifPresent(w -> classes.add(w.dbInstanceClass()));
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(DbInstances.COUNT, readers.size());
        if (!classes.isEmpty()) {
            a.put(DbInstances.INSTANCE_CLASS, classes.size() == 1 ? classes.first() : "mixed:" + String.join(",", classes));
        }
        List<DBInstance> monitored = readers.isEmpty()
                ? members.stream().filter(m -> m.dbInstanceIdentifier().equals(ResourceNames.dbWriter(env))).toList()
                : readers;
        a.putAll(commonMonitoring(monitored));
        a.put("members", readers.stream().map(DBInstance::dbInstanceIdentifier).toList());
        Map<String, Object> statuses = new java.util.TreeMap<>();
        readers.forEach(r -> statuses.put(r.dbInstanceIdentifier(), String.valueOf(r.dbInstanceStatus())));
        a.put(io.terrace.planner.AttributeKeys.Observed.MEMBER_STATUSES, statuses);
        List<DBInstance> named = readers.stream().filter(r -> r.dbInstanceIdentifier().startsWith(prefix)).toList();
        Map<String, String> tags = named.stream().map(r -> tags(r.tagList()))
                .filter(t -> !isTerrace(env, t)).findFirst()
                .or(() -> named.stream().map(r -> tags(r.tagList())).findFirst())
                .orElseGet(() -> tags(cluster.tagList()));
        return new ObservedResource(env + "/database/readers", ResourceType.RDS_READERS, prefix, a, tags);
    }

    /**
     * An instance's enhanced monitoring (interval, 0 when off, and role name, "" when none or off) and
     * Performance Insights (on, and days kept, 0 when off). The last two only when the answer
     * carries {@code PerformanceInsightsEnabled}: AWS always does, moto never does, and the diff
     * compares them only when present ({@link io.terrace.planner.AttributeKeys#whenReported}).
     */
    public static Map<String, Object> monitoring(DBInstance i) {
        Map<String, Object> a = new LinkedHashMap<>();
        int interval = i.monitoringInterval() == null ? 0 : i.monitoringInterval();
        a.put(DbInstances.MONITORING_INTERVAL, interval);
        // The role stays in the answer after monitoring is turned off (moto does the same): unused then.
        String role = i.monitoringRoleArn();
        a.put(DbInstances.MONITORING_ROLE, role == null || interval == 0 ? "" : role.substring(role.lastIndexOf('/') + 1));
        if (i.performanceInsightsEnabled() != null) {
            boolean on = i.performanceInsightsEnabled();
            a.put(DbInstances.PERFORMANCE_INSIGHTS, on);
            a.put(DbInstances.PERFORMANCE_INSIGHTS_RETENTION,
                    on && i.performanceInsightsRetentionPeriod() != null ? i.performanceInsightsRetentionPeriod() : 0);
        }
        return a;
    }

    /**
     * The monitoring attributes the instances share: each the common value, or {@code mixed:...}
     * when they differ (so the plan corrects them); one that some instance lacks is left out.
     */
    static Map<String, Object> commonMonitoring(List<DBInstance> instances) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (instances.isEmpty()) {
            return out;
        }
        List<Map<String, Object>> each = instances.stream().map(RdsLive::monitoring).toList();
        for (String key : each.get(0).keySet()) {
            if (!each.stream().allMatch(m -> m.containsKey(key))) {
                continue;
            }
            TreeSet<String> values = new TreeSet<>();
            each.forEach(m -> values.add(String.valueOf(m.get(key))));
            out.put(key, values.size() == 1 ? each.get(0).get(key) : "mixed:" + String.join(",", values));
        }
        return out;
    }

    static ObservedResource observedProxy(String env, DBProxy p, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(DbProxy.ENGINE_FAMILY, p.engineFamily());
        a.put(DbProxy.REQUIRE_TLS, Boolean.TRUE.equals(p.requireTLS()));
        a.put("arn", p.dbProxyArn());
        a.put("status", p.statusAsString());
        putIfPresent(a, DbProxy.ENDPOINT, p.endpoint());
        return new ObservedResource(env + "/database/proxy", ResourceType.RDS_PROXY, p.dbProxyName(), a,
                new TreeMap<>(tags));
    }

    public static boolean isTerrace(String env, Map<String, String> tags) {
        return "terrace".equals(tags.get(ObservedResource.MANAGED_BY))
                && env.equals(tags.get(ObservedResource.ENVIRONMENT));
    }

    private static void putIfPresent(Map<String, Object> a, String key, Object value) {
        if (value != null) {
            a.put(key, value);
        }
    }
}
