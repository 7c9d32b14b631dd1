package io.terrace.planner;

import java.util.Set;

/**
 * The names of the managed attributes of each resource type: the keys {@link DesiredState} emits
 * and the observers' mapping must produce, spelled once here so a typo cannot plan an update on
 * every pass. {@link #managed} lists them per type; a contract test holds both sides to it.
 */
public final class AttributeKeys {

    private AttributeKeys() {}

    /** {@link ResourceType#NETWORK_STACK}. */
    public static final class NetworkStack {
        public static final String ZONES = "zones";

        private NetworkStack() {}
    }

    /** {@link ResourceType#S3_BUCKET}. */
    public static final class S3Bucket {
        public static final String VERSIONING = "versioning";
        public static final String ENCRYPTION = "encryption";
        public static final String PUBLIC_ACCESS_BLOCKED = "publicAccessBlocked";

        private S3Bucket() {}
    }

    /** {@link ResourceType#ECS_CLUSTER}. */
    public static final class EcsCluster {
        public static final String CONTAINER_INSIGHTS = "containerInsights";

        private EcsCluster() {}
    }

    /** {@link ResourceType#ECS_TASK_DEFINITION}. */
    public static final class EcsTask {
        public static final String IMAGE = "image";
        public static final String CPU = "cpu";
        public static final String MEMORY = "memory";

        private EcsTask() {}
    }

    /** {@link ResourceType#ECS_SERVICE}. */
    public static final class EcsService {
        /** A range: a live count inside it belongs to the autoscaler. */
        public static final String DESIRED_COUNT = "desiredCount";
        public static final String LAUNCH_TYPE = "launchType";
        /** The task definition family. */
        public static final String TASK_DEFINITION = "taskDefinition";
        public static final String LOAD_BALANCED = "loadBalanced";
        public static final String ENABLE_EXECUTE_COMMAND = "enableExecuteCommand";
        /** The deployment circuit breaker is on: a deployment whose tasks keep failing is stopped. */
        public static final String CIRCUIT_BREAKER = "circuitBreaker";
        /** A deployment the circuit breaker stopped is rolled back to the last completed one. */
        public static final String CIRCUIT_BREAKER_ROLLBACK = "circuitBreakerRollback";
        /** Running tasks kept during a deployment, in percent of the desired count. */
        public static final String MINIMUM_HEALTHY_PERCENT = "minimumHealthyPercent";
        /** Tasks allowed during a deployment, in percent of the desired count. */
        public static final String MAXIMUM_PERCENT = "maximumPercent";

        private EcsService() {}
    }

    /** {@link ResourceType#AUTOSCALING_TARGET}. */
    public static final class ScalingTarget {
        public static final String SERVICE_NAMESPACE = "serviceNamespace";
        public static final String SCALABLE_DIMENSION = "scalableDimension";
        public static final String MIN_CAPACITY = "minCapacity";
        public static final String MAX_CAPACITY = "maxCapacity";
        public static final String POLICY_METRIC = "policyMetric";
        public static final String POLICY_TARGET = "policyTarget";

        private ScalingTarget() {}
    }

    /** {@link ResourceType#RDS_CLUSTER}. */
    public static final class DbCluster {
        public static final String ENGINE = "engine";
        /** The major version, e.g. {@code 8.0}. */
        public static final String ENGINE_VERSION = "engineVersion";
        public static final String DELETION_PROTECTION = "deletionProtection";
        public static final String BACKUP_RETENTION_DAYS = "backupRetentionDays";

        private DbCluster() {}
    }

    /** {@link ResourceType#RDS_WRITER} and {@link ResourceType#RDS_READERS}. */
    public static final class DbInstances {
        public static final String INSTANCE_CLASS = "instanceClass";
        /** Readers only: a range the reader autoscaler moves within. */
        public static final String COUNT = "count";

        private DbInstances() {}
    }

    /** {@link ResourceType#RDS_PROXY}. */
    public static final class DbProxy {
        public static final String ENGINE_FAMILY = "engineFamily";
        public static final String REQUIRE_TLS = "requireTls";

        private DbProxy() {}
    }

    /** {@link ResourceType#ELASTICACHE_REPLICATION_GROUP}. */
    public static final class Cache {
        public static final String ENGINE = "engine";
        public static final String NODE_TYPE = "nodeType";
        public static final String REPLICAS = "replicas";
        public static final String AUTOMATIC_FAILOVER = "automaticFailover";
        public static final String MULTI_AZ = "multiAz";

        private Cache() {}
    }

    /** {@link ResourceType#OPENSEARCH_DOMAIN}. */
    public static final class Search {
        public static final String ENGINE_VERSION = "engineVersion";
        public static final String INSTANCE_TYPE = "instanceType";
        public static final String INSTANCE_COUNT = "instanceCount";
        public static final String ZONE_AWARENESS = "zoneAwareness";

        private Search() {}
    }

    /** {@link ResourceType#CLOUDFRONT_DISTRIBUTION}. */
    public static final class Cdn {
        public static final String ALIASES = "aliases";
        public static final String PRICE_CLASS = "priceClass";
        public static final String PAGE_TTL = "pageTtl";
        public static final String ASSET_TTL = "assetTtl";
        public static final String ENABLED = "enabled";

        private Cdn() {}
    }

    /** The managed attributes of a resource type: what the desired state sets and the diff compares. */
    public static Set<String> managed(ResourceType type) {
        return switch (type) {
            case NETWORK_STACK -> Set.of(NetworkStack.ZONES);
            case S3_BUCKET -> Set.of(S3Bucket.VERSIONING, S3Bucket.ENCRYPTION, S3Bucket.PUBLIC_ACCESS_BLOCKED);
            case ECS_CLUSTER -> Set.of(EcsCluster.CONTAINER_INSIGHTS);
            case ECS_TASK_DEFINITION -> Set.of(EcsTask.IMAGE, EcsTask.CPU, EcsTask.MEMORY);
            case ECS_SERVICE -> Set.of(EcsService.DESIRED_COUNT, EcsService.LAUNCH_TYPE, EcsService.TASK_DEFINITION,
                    EcsService.LOAD_BALANCED, EcsService.ENABLE_EXECUTE_COMMAND, EcsService.CIRCUIT_BREAKER,
                    EcsService.CIRCUIT_BREAKER_ROLLBACK, EcsService.MINIMUM_HEALTHY_PERCENT, EcsService.MAXIMUM_PERCENT);
            case AUTOSCALING_TARGET -> Set.of(ScalingTarget.SERVICE_NAMESPACE, ScalingTarget.SCALABLE_DIMENSION,
                    ScalingTarget.MIN_CAPACITY, ScalingTarget.MAX_CAPACITY, ScalingTarget.POLICY_METRIC,
                    ScalingTarget.POLICY_TARGET);
            case RDS_CLUSTER -> Set.of(DbCluster.ENGINE, DbCluster.ENGINE_VERSION, DbCluster.DELETION_PROTECTION,
                    DbCluster.BACKUP_RETENTION_DAYS);
            case RDS_WRITER -> Set.of(DbInstances.INSTANCE_CLASS);
            case RDS_READERS -> Set.of(DbInstances.INSTANCE_CLASS, DbInstances.COUNT);
            case RDS_PROXY -> Set.of(DbProxy.ENGINE_FAMILY, DbProxy.REQUIRE_TLS);
            case ELASTICACHE_REPLICATION_GROUP -> Set.of(Cache.ENGINE, Cache.NODE_TYPE, Cache.REPLICAS,
                    Cache.AUTOMATIC_FAILOVER, Cache.MULTI_AZ);
            case OPENSEARCH_DOMAIN -> Set.of(Search.ENGINE_VERSION, Search.INSTANCE_TYPE, Search.INSTANCE_COUNT,
                    Search.ZONE_AWARENESS);
            case CLOUDFRONT_DISTRIBUTION -> Set.of(Cdn.ALIASES, Cdn.PRICE_CLASS, Cdn.PAGE_TTL, Cdn.ASSET_TTL, Cdn.ENABLED);
        };
    }
}
