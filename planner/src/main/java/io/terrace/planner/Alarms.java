package io.terrace.planner;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The CloudWatch alarms every environment gets (docs/operations.md has a runbook entry for each):
 * what each watches, how, and which {@link Threshold} it compares with. The desired state renders
 * a definition into attributes; the alarm driver builds its PutMetricAlarm from the same
 * definition, found by {@link #definition}.
 */
public final class Alarms {

    /** A dimension value only known once the resource exists (a load balancer's ARN suffix, the account). */
    public static final String LOOKED_UP = "*";
    /** Dimension names whose values are looked up at apply. */
    public static final List<String> LOOKED_UP_DIMENSIONS = List.of("LoadBalancer", "TargetGroup", "ClientId");

    static final String GREATER = "GreaterThanThreshold";
    static final String GREATER_OR_EQUAL = "GreaterThanOrEqualToThreshold";
    static final String LESS = "LessThanThreshold";
    /** No data (an idle service, a metric not yet published) is not an alarm. */
    public static final String TREAT_MISSING_DATA = "notBreaching";

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double GIB_IN_MIB = 1024.0;

    /** One metric an alarm reads: its id in a metric-math expression, name and statistic. */
    public record Metric(String id, String name, String stat) {}

    /**
     * One alarm: the metrics it reads (one, or several combined by {@code expression}) in one
     * namespace with shared dimensions, and what breaches it.
     *
     * @param threshold the spec threshold it compares with, empty for a fixed one
     * @param scale     the spec value times this is CloudWatch's threshold (GiB to bytes, ...)
     * @param fixed     the threshold when {@code threshold} is empty
     */
    public record Definition(String key, String namespace, List<Metric> metrics, String expression,
            Map<String, String> dimensions, String comparison, Optional<Threshold> threshold, double scale,
            double fixed, int period, int evaluationPeriods, int datapointsToAlarm, String description) {

        public Definition {
            metrics = List.copyOf(metrics);
            dimensions = java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
        }

        /** {@code <namespace> <metric> <stat>}, or {@code <expression>; <id>=<namespace> <metric> <stat>; ...}. */
        public String metricText() {
            return metricText(namespace, metrics, expression);
        }

        public static String metricText(String namespace, List<Metric> metrics, String expression) {
            if (expression.isEmpty()) {
                Metric m = metrics.get(0);
                return namespace + " " + m.name() + " " + m.stat();
            }
            return expression + "; " + metrics.stream()
                    .map(m -> m.id() + "=" + namespace + " " + m.name() + " " + m.stat())
                    .collect(Collectors.joining("; "));
        }

        /** Sorted {@code Name=value}, comma-separated. */
        public String dimensionText() {
            return dimensionText(dimensions);
        }

        public static String dimensionText(Map<String, String> dimensions) {
            return new TreeMap<>(dimensions).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }

        /** CloudWatch's threshold for a spec with {@code monitoring}. */
        public double thresholdValue(EnvironmentSpec.Monitoring monitoring) {
            return threshold.map(t -> monitoring.threshold(t) * scale).orElse(fixed);
        }
    }

    private Alarms() {}

    /** The alarms of {@code spec}'s environment. */
    public static List<Definition> of(EnvironmentSpec spec) {
        boolean readers = spec.database().readers().max() > 0;
        boolean replicated = spec.search().nodes() > 1;
        return all(spec.name()).stream()
                .filter(d -> readers || !d.key().equals("database-replica-lag"))
                .filter(d -> replicated || !d.key().equals("search-cluster-yellow"))
                .toList();
    }

    /** The alarm {@code key} of {@code env}, whatever its spec. */
    public static Optional<Definition> definition(String env, String key) {
        return all(env).stream().filter(d -> d.key().equals(key)).findFirst();
    }

    /** Every alarm key an environment may have. */
    public static List<String> keys() {
        return all("x").stream().map(Definition::key).toList();
    }

    private static List<Definition> all(String env) {
        List<Definition> out = new ArrayList<>();
        Map<String, String> ecs = Map.of("ClusterName", ResourceNames.ecsCluster(env),
                "ServiceName", ResourceNames.ecsService(Component.WEB));
        Map<String, String> alb = Map.of("LoadBalancer", LOOKED_UP);
        Map<String, String> db = Map.of("DBClusterIdentifier", ResourceNames.dbCluster(env));
        Map<String, String> cache = Map.of("CacheClusterId", ResourceNames.cachePrimaryNode(env));
        Map<String, String> search = Map.of("DomainName", ResourceNames.searchDomain(env), "ClientId", LOOKED_UP);

        out.add(simple("web-cpu", "AWS/ECS", "CPUUtilization", "Average", ecs, GREATER, Threshold.WEB_CPU_PERCENT, 1, 5,
                "Web containers' average CPU above the threshold (percent) for 5 minutes"));
        out.add(simple("web-memory", "AWS/ECS", "MemoryUtilization", "Average", ecs, GREATER,
                Threshold.WEB_MEMORY_PERCENT, 1, 5, "Web containers' average memory above the threshold (percent) for 5 minutes"));
        out.add(new Definition("web-5xx-rate", "AWS/ApplicationELB",
                List.of(new Metric("errors", "HTTPCode_Target_5XX_Count", "Sum"), new Metric("requests", "RequestCount", "Sum")),
                "100*FILL(errors,0)/requests", alb, GREATER, Optional.of(Threshold.HTTP_5XX_PERCENT), 1, 0, 60, 5, 3,
                "Share of requests the application answered 5xx above the threshold (percent) in 3 of 5 minutes"));
        out.add(simple("web-response-time", "AWS/ApplicationELB", "TargetResponseTime", "p95", alb, GREATER,
                Threshold.RESPONSE_TIME_SECONDS, 1, 5, "95th percentile response time above the threshold (seconds) for 5 minutes"));
        out.add(simple("web-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum",
                Map.of("LoadBalancer", LOOKED_UP, "TargetGroup", LOOKED_UP), GREATER, Threshold.UNHEALTHY_HOSTS, 1, 3,
                "More web targets failing health checks than the threshold for 3 minutes"));
        out.add(simple("database-cpu", "AWS/RDS", "CPUUtilization", "Average", db, GREATER,
                Threshold.DATABASE_CPU_PERCENT, 1, 5, "Aurora CPU above the threshold (percent) for 5 minutes"));
        out.add(simple("database-free-local-storage", "AWS/RDS", "FreeLocalStorage", "Minimum", db, LESS,
                Threshold.DATABASE_FREE_STORAGE_GIB, GIB, 5, "Aurora free local storage below the threshold for 5 minutes"));
        out.add(simple("database-connections", "AWS/RDS", "DatabaseConnections", "Maximum", db, GREATER,
                Threshold.DATABASE_CONNECTIONS, 1, 5, "Open database connections above the threshold for 5 minutes"));
        out.add(simple("database-deadlocks", "AWS/RDS", "Deadlocks", "Average", db, GREATER,
                Threshold.DATABASE_DEADLOCKS_PER_SECOND, 1, 5, "Aurora deadlocks per second above the threshold for 5 minutes"));
        out.add(simple("database-replica-lag", "AWS/RDS", "AuroraReplicaLag", "Maximum",
                Map.of("DBClusterIdentifier", ResourceNames.dbCluster(env), "Role", "READER"), GREATER,
                Threshold.DATABASE_REPLICA_LAG_MS, 1, 5, "Aurora readers lag the writer by more than the threshold (ms) for 5 minutes"));
        out.add(simple("cache-cpu", "AWS/ElastiCache", "EngineCPUUtilization", "Average", cache, GREATER,
                Threshold.CACHE_CPU_PERCENT, 1, 5, "Redis engine CPU above the threshold (percent) for 5 minutes"));
        out.add(simple("cache-memory", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "Average", cache, GREATER,
                Threshold.CACHE_MEMORY_PERCENT, 1, 5, "Redis memory use above the threshold (percent) for 5 minutes"));
        out.add(simple("cache-evictions", "AWS/ElastiCache", "Evictions", "Sum", cache, GREATER,
                Threshold.CACHE_EVICTIONS_PER_MINUTE, 1, 5, "Redis evicting more keys per minute than the threshold for 5 minutes"));
        out.add(fixed("search-cluster-red", "ClusterStatus.red", search, 1,
                "OpenSearch cluster status red: a primary shard is unassigned"));
        out.add(fixed("search-cluster-yellow", "ClusterStatus.yellow", search, 5,
                "OpenSearch cluster status yellow for 5 minutes: a replica shard is unassigned"));
        out.add(simple("search-free-storage", "AWS/ES", "FreeStorageSpace", "Minimum", search, LESS,
                Threshold.SEARCH_FREE_STORAGE_GIB, GIB_IN_MIB, 5, "OpenSearch free storage below the threshold for 5 minutes"));
        out.add(simple("search-jvm-memory-pressure", "AWS/ES", "JVMMemoryPressure", "Maximum", search, GREATER,
                Threshold.SEARCH_JVM_MEMORY_PRESSURE_PERCENT, 1, 5,
                "OpenSearch JVM memory pressure above the threshold (percent) for 5 minutes"));
        out.add(simple("cavalcade-backlog", DesiredState.CUSTOM_METRIC_NAMESPACE, DesiredState.CAVALCADE_BACKLOG_METRIC,
                "Average", Map.of("Environment", env), GREATER, Threshold.CAVALCADE_PENDING_JOBS_PER_WORKER, 1, 15,
                "Cavalcade jobs pending per worker above the threshold for 15 minutes: workers are stuck or saturated"));
        out.add(logged("php-fatal-errors", env, MetricFilters.PHP_FATAL, Threshold.PHP_FATAL_ERRORS,
                "More PHP fatal errors logged by web and cavalcade in 5 minutes than the threshold"));
        out.add(logged("database-errors", env, MetricFilters.DATABASE, Threshold.DATABASE_ERRORS,
                "More WordPress database errors logged by web and cavalcade in 5 minutes than the threshold"));
        return out;
    }

    private static Definition simple(String key, String namespace, String metric, String stat, Map<String, String> dims,
            String comparison, Threshold threshold, double scale, int minutes, String description) {
        return new Definition(key, namespace, List.of(new Metric("m1", metric, stat)), "", dims, comparison,
                Optional.of(threshold), scale, 0, 60, minutes, minutes, description);
    }

    /**
     * A count of log lines a {@link MetricFilters} filter matched over 5 minutes (one period):
     * the metric has no dimension and no data while nothing matches, which is not breaching.
     */
    private static Definition logged(String key, String env, MetricFilters.Filter filter, Threshold threshold,
            String description) {
        return new Definition(key, MetricFilters.namespace(env), List.of(new Metric("m1", filter.metric(), "Sum")), "",
                Map.of(), GREATER, Optional.of(threshold), 1, 0, 300, 1, 1, description);
    }

    private static Definition fixed(String key, String metric, Map<String, String> dims, int minutes, String description) {
        return new Definition(key, "AWS/ES", List.of(new Metric("m1", metric, "Maximum")), "", dims, GREATER_OR_EQUAL,
                Optional.empty(), 1, 1, 60, minutes, minutes, description);
    }
}
