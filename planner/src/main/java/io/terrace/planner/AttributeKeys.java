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
        /** {@code nat} or {@code endpoints}: the stack parameter {@code Egress}. */
        public static final String EGRESS = "egress";
        /**
         * The revision of the stack template the stack was last updated with (its output
         * {@code TemplateRevision}; 1 for stacks from before the output existed).
         */
        public static final String TEMPLATE_REVISION = "templateRevision";
        /** The load balancer has an HTTPS listener (its certificate is issued). */
        public static final String HTTPS = "https";
        /**
         * The origin secret's resource policy: {@link #ORIGIN_SECRET_RESTRICTED} when it denies
         * the secret to every principal but the execution role and Terrace's own; observed as
         * {@code none}, {@code changed} or {@code unreadable} otherwise.
         */
        public static final String ORIGIN_SECRET_POLICY = "originSecretPolicy";
        public static final String ORIGIN_SECRET_RESTRICTED = "restricted";
        /**
         * The load balancer drops header fields that are not valid HTTP
         * ({@code routing.http.drop_invalid_header_fields.enabled}), set with ELBv2
         * ModifyLoadBalancerAttributes outside the template.
         */
        public static final String DROP_INVALID_HEADER_FIELDS = "dropInvalidHeaderFields";
        /** The load balancer's {@code deletion_protection.enabled}: production, until decommissioned. */
        public static final String DELETION_PROTECTION = "deletionProtection";
        /**
         * Where the load balancer writes its access logs: the prefix ({@code <env>/alb}) in the
         * account's log bucket of the region ({@code terrace-logs-<account>-<region>}); observed as
         * {@link #ACCESS_LOGS_OFF} when they are off, or {@code elsewhere:<bucket>/<prefix>} when
         * they go to another bucket.
         */
        public static final String ACCESS_LOGS = "accessLogs";
        public static final String ACCESS_LOGS_OFF = "off";

        private NetworkStack() {}
    }

    /** {@link ResourceType#S3_BUCKET}. */
    public static final class S3Bucket {
        public static final String VERSIONING = "versioning";
        public static final String ENCRYPTION = "encryption";
        /** Default encryption {@code aws:kms}, with the key {@link #ENCRYPTION_KEY}. */
        public static final String SSE_KMS = "aws:kms";
        /** The ARN of the default encryption's KMS key ({@link #NO_KEY} without one). */
        public static final String ENCRYPTION_KEY = "encryptionKey";
        public static final String NO_KEY = "none";
        /** S3 Bucket Keys: S3 asks KMS for a bucket-level key, not one data key per object. */
        public static final String BUCKET_KEY = "bucketKey";
        public static final String PUBLIC_ACCESS_BLOCKED = "publicAccessBlocked";
        /** The bucket policy: {@link #TLS_ONLY} when it is exactly Terrace's deny-insecure-transport policy. */
        public static final String SECURE_TRANSPORT_POLICY = "secureTransportPolicy";
        public static final String TLS_ONLY = "tls-only";
        /** The bucket's object ownership rule; ACLs are disabled by {@link #BUCKET_OWNER_ENFORCED}. */
        public static final String OBJECT_OWNERSHIP = "objectOwnership";
        public static final String BUCKET_OWNER_ENFORCED = "BucketOwnerEnforced";
        /**
         * The bucket's server access logging: the target prefix ({@code <env>/s3/}) in the
         * account's log bucket of the region; observed as {@link NetworkStack#ACCESS_LOGS_OFF}
         * when off, {@code elsewhere:<bucket>/<prefix>} when logged to another bucket.
         */
        public static final String ACCESS_LOGS = "accessLogs";

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
        /** The task role's name (registered as its ARN). */
        public static final String TASK_ROLE = "taskRole";
        /** The execution role's name (registered as its ARN). */
        public static final String EXECUTION_ROLE = "executionRole";
        /** The {@code awslogs} group every container writes to. */
        public static final String LOG_GROUP = "logGroup";
        /** The {@code awslogs} stream prefix. */
        public static final String LOG_STREAM_PREFIX = "logStreamPrefix";
        /**
         * The application container's environment variables, name to value (see
         * {@link ContainerEnvironment}); values may be {@link LiveRef}s to live endpoints.
         */
        public static final String ENVIRONMENT = "environment";
        /** The application container's ECS secrets, name to {@code valueFrom} (a Secrets Manager reference). */
        public static final String SECRETS = "secrets";
        /** The container's root filesystem is read-only ({@code readonlyRootFilesystem}). */
        public static final String READONLY_ROOT_FILESYSTEM = "readonlyRootFilesystem";
        /**
         * The paths the container may write to, sorted: each a task volume with no host (storage
         * of the task's own, gone with it) mounted read-write.
         */
        public static final String WRITABLE_PATHS = "writablePaths";
        /**
         * The containers beside the application's, sorted, each {@code <name> <image>}: the APM
         * collector ({@code application.apm}) or none.
         */
        public static final String SIDECARS = "sidecars";

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
        /** The master password is kept by RDS in Secrets Manager ({@code ManageMasterUserPassword}). */
        public static final String MANAGED_MASTER_PASSWORD = "manageMasterUserPassword";
        /** The cluster parameter group Terrace keeps, with {@code require_secure_transport=ON}. */
        public static final String PARAMETER_GROUP = "parameterGroup";
        /** The parameters Terrace sets in its parameter group, name to value (the user-set ones observed). */
        public static final String PARAMETERS = "parameters";
        /** The log types exported to CloudWatch Logs ({@code EnabledCloudwatchLogsExports}), sorted. */
        public static final String LOG_EXPORTS = "logExports";
        /**
         * {@code PreferredMaintenanceWindow}, {@code ddd:hh:mm-ddd:hh:mm}; desired only when the
         * spec has a {@code maintenance.window} (otherwise RDS's own choice is left alone).
         */
        public static final String MAINTENANCE_WINDOW = "maintenanceWindow";
        /**
         * Create only ({@link AttributeKeys#CREATE_ONLY}): the cluster snapshot, or the environment
         * whose newest snapshot, a new cluster is restored from ({@code database.restoreFrom}).
         */
        public static final String RESTORE_FROM = "restoreFrom";
        /** Read only: the writer endpoint. */
        public static final String ENDPOINT = "endpoint";
        /** Read only: the reader endpoint. */
        public static final String READER_ENDPOINT = "readerEndpoint";
        /** Read only: the ARN of the secret RDS keeps the master user name and password in. */
        public static final String MASTER_USER_SECRET_ARN = "masterUserSecretArn";

        private DbCluster() {}
    }

    /** {@link ResourceType#RDS_WRITER} and {@link ResourceType#RDS_READERS}. */
    public static final class DbInstances {
        public static final String INSTANCE_CLASS = "instanceClass";
        /** Readers only: a range the reader autoscaler moves within. */
        public static final String COUNT = "count";
        /** Enhanced monitoring's interval in seconds ({@code MonitoringInterval}); 0 is off. */
        public static final String MONITORING_INTERVAL = "monitoringInterval";
        /** The role RDS publishes enhanced monitoring with, by name ("" when off). */
        public static final String MONITORING_ROLE = "monitoringRole";
        /**
         * Performance Insights is on ({@code PerformanceInsightsEnabled}). Compared only when the
         * live answer carries it ({@link AttributeKeys#whenReported}).
         */
        public static final String PERFORMANCE_INSIGHTS = "performanceInsights";
        /** Days Performance Insights keeps its data (7 is the free tier); 0 while it is off. */
        public static final String PERFORMANCE_INSIGHTS_RETENTION = "performanceInsightsRetention";

        private DbInstances() {}
    }

    /** {@link ResourceType#RDS_PROXY}. */
    public static final class DbProxy {
        public static final String ENGINE_FAMILY = "engineFamily";
        public static final String REQUIRE_TLS = "requireTls";
        /** Read only: the proxy's endpoint. */
        public static final String ENDPOINT = "endpoint";

        private DbProxy() {}
    }

    /** {@link ResourceType#ELASTICACHE_REPLICATION_GROUP}. */
    public static final class Cache {
        public static final String ENGINE = "engine";
        public static final String NODE_TYPE = "nodeType";
        public static final String REPLICAS = "replicas";
        public static final String AUTOMATIC_FAILOVER = "automaticFailover";
        public static final String MULTI_AZ = "multiAz";
        /**
         * {@code PreferredMaintenanceWindow}, {@code ddd:hh:mm-ddd:hh:mm}, sent with the daily
         * {@code SnapshotWindow} the hour before it; desired only with a {@code maintenance.window}.
         * AWS reports it per member cluster ({@code DescribeCacheClusters}), not on the group:
         * compared only when observed ({@link AttributeKeys#whenReported}).
         */
        public static final String MAINTENANCE_WINDOW = "maintenanceWindow";
        /** Read only: the primary endpoint's address. */
        public static final String PRIMARY_ENDPOINT = "primaryEndpoint";
        /** Read only: the primary endpoint's port. */
        public static final String PRIMARY_ENDPOINT_PORT = "primaryEndpointPort";

        private Cache() {}
    }

    /** {@link ResourceType#OPENSEARCH_DOMAIN}. */
    public static final class Search {
        public static final String ENGINE_VERSION = "engineVersion";
        public static final String INSTANCE_TYPE = "instanceType";
        public static final String INSTANCE_COUNT = "instanceCount";
        public static final String ZONE_AWARENESS = "zoneAwareness";
        /**
         * The start ({@code HH:MM} UTC) of the domain's daily 10-hour off-peak window, in which it
         * applies service software updates; desired only with a {@code maintenance.window}.
         */
        public static final String OFF_PEAK_START = "offPeakStart";
        /** Read only: the domain's endpoint (its VPC endpoint when it is in a VPC). */
        public static final String ENDPOINT = "endpoint";
        /**
         * Fine-grained access control on, its internal user database off: users are IAM principals
         * (the master user is the web task role, which AWS does not describe back).
         */
        public static final String FINE_GRAINED_ACCESS = "fineGrainedAccess";
        /** The IAM roles the domain access policy lets in, by role name, sorted. */
        public static final String ACCESS_ROLES = "accessRoles";
        /** The log types published, each to its log group name ({@code AUDIT_LOGS -> /terrace/<env>/search/audit}). */
        public static final String LOG_PUBLISHING = "logPublishing";
        /**
         * The region's CloudWatch Logs resource policy letting OpenSearch write to {@code /terrace/*}
         * groups, by name; observed only while it is present and Terrace's.
         */
        public static final String LOG_DELIVERY_POLICY = "logDeliveryPolicy";

        private Search() {}
    }

    /** {@link ResourceType#CLOUDFRONT_DISTRIBUTION}. */
    public static final class Cdn {
        public static final String ALIASES = "aliases";
        public static final String PRICE_CLASS = "priceClass";
        public static final String PAGE_TTL = "pageTtl";
        public static final String ASSET_TTL = "assetTtl";
        public static final String ENABLED = "enabled";
        /** Read only: the distribution's {@code *.cloudfront.net} domain. */
        public static final String DOMAIN_NAME = "domainName";
        /** How CloudFront reaches the load balancer: {@code https-only}, or {@code http-only} without aliases. */
        public static final String ORIGIN_PROTOCOL = "originProtocol";
        /**
         * The name of the WAFv2 web ACL the distribution is associated with ({@code WebACLId},
         * an ACL's ARN), or {@link #NO_WEB_ACL}.
         */
        public static final String WEB_ACL = "webAcl";
        public static final String NO_WEB_ACL = "none";

        private Cdn() {}
    }

    /** {@link ResourceType#WAF_WEB_ACL}. */
    public static final class WebAcl {
        /** The rule names in priority order: the rate-based rule, then the AWS managed rule groups. */
        public static final String RULES = "rules";
        /** Requests per five minutes from one IP address above which the rate-based rule blocks. */
        public static final String RATE_LIMIT = "rateLimit";
        /** The name of the rate-based rule. */
        public static final String RATE_RULE = "rate-limit";

        private WebAcl() {}
    }

    /** {@link ResourceType#SNS_TOPIC}. */
    public static final class Topic {
        /** Sorted {@code <protocol>:<endpoint>} entries, e.g. {@code email:ops@acme.example}. */
        public static final String SUBSCRIPTIONS = "subscriptions";
        /** The KMS key the topic is encrypted with: the alias of the environment's {@link KmsKey}. */
        public static final String ENCRYPTION_KEY = "encryptionKey";
        /** The topic policy lets CloudWatch alarms publish. */
        public static final String CLOUDWATCH_PUBLISH = "cloudWatchPublish";
        /** The topic policy lets RDS publish the events of the environment's event subscriptions. */
        public static final String RDS_EVENTS_PUBLISH = "rdsEventsPublish";

        private Topic() {}
    }

    /** {@link ResourceType#CLOUDWATCH_ALARM}, in the forms {@link Alarms.Definition} renders. */
    public static final class Alarm {
        /** {@code <namespace> <metric> <statistic>}, or a metric-math expression with its metrics. */
        public static final String METRIC = "metric";
        /** Sorted {@code Name=value}, comma-separated; a value looked up at apply is {@code *}. */
        public static final String DIMENSIONS = "dimensions";
        public static final String COMPARISON = "comparison";
        public static final String THRESHOLD = "threshold";
        public static final String PERIOD = "period";
        public static final String EVALUATION_PERIODS = "evaluationPeriods";
        public static final String DATAPOINTS_TO_ALARM = "datapointsToAlarm";
        public static final String TREAT_MISSING_DATA = "treatMissingData";
        /** The name of the topic both the alarm and OK actions publish to. */
        public static final String TOPIC = "topic";

        private Alarm() {}
    }

    /** {@link ResourceType#IAM_ROLE}: both policies as canonical JSON ({@link PolicyDocument}). */
    public static final class IamRole {
        public static final String TRUST_POLICY = "trustPolicy";
        /**
         * The one inline policy, named {@link RolePolicies#POLICY_NAME}; optional (a role that
         * only needs an AWS-managed policy has none).
         */
        public static final String POLICY = "policy";
        /**
         * The ARNs of the managed policies attached, sorted. Terrace owns the role whole: a policy
         * attached by hand is detached.
         */
        public static final String MANAGED_POLICIES = "managedPolicies";

        private IamRole() {}
    }

    /** {@link ResourceType#LOG_GROUP}. */
    public static final class LogGroup {
        public static final String RETENTION_DAYS = "retentionDays";
        /** The ARN of the KMS key the group's events are encrypted with: the environment's {@link KmsKey}. */
        public static final String KMS_KEY = "kmsKey";

        private LogGroup() {}
    }

    /** {@link ResourceType#ACM_CERTIFICATE}. */
    public static final class Certificate {
        public static final String DOMAIN_NAME = "domainName";
        /** The other names it covers, sorted, without the domain name. */
        public static final String ALTERNATIVE_NAMES = "alternativeNames";
        /** Observed only: {@code PENDING_VALIDATION}, {@code ISSUED}, ... */
        public static final String STATUS = "status";
        /** Observed only: the DNS records that validate it, one {@code name type value} line each. */
        public static final String VALIDATION_RECORDS = "validationRecords";
        /** Observed only. */
        public static final String ARN = "arn";
        public static final String ISSUED = "ISSUED";

        private Certificate() {}
    }

    /**
     * Observed-only facts the health assessment reads: never in {@link #managed}, so never a
     * difference in a plan, and left out of the {@link LiveFingerprint} because they move by
     * themselves.
     */
    public static final class Observed {
        /** Every type that has one: the service's own status word. */
        public static final String STATUS = "status";
        /** ECS service: tasks running now. */
        public static final String RUNNING_COUNT = "runningCount";
        /** ECS service: tasks starting now. */
        public static final String PENDING_COUNT = "pendingCount";
        /** ECS service: the primary deployment's rolloutState (IN_PROGRESS, COMPLETED, FAILED). */
        public static final String ROLLOUT_STATE = "rolloutState";
        /** ECS service: the primary deployment's rolloutStateReason. */
        public static final String ROLLOUT_REASON = "rolloutReason";
        /** ECS service: when the primary deployment was created (ISO-8601 instant). */
        public static final String ROLLOUT_STARTED_AT = "rolloutStartedAt";
        /** Aurora readers: each reader instance's status, by identifier. */
        public static final String MEMBER_STATUSES = "memberStatuses";
        /** OpenSearch domain: a configuration change or upgrade is being applied. */
        public static final String PROCESSING = "processing";
        /**
         * Every type whose details a daemon keeps: {@code true} while they wait for their first
         * read after a start ({@link ObservedResource#detailsUnread}); the attributes they give are
         * absent and not compared.
         */
        public static final String DETAILS_UNREAD = "detailsUnread";

        private Observed() {}
    }

    /** {@link ResourceType#LOG_METRIC_FILTER}: the resource's name is the filter's name. */
    public static final class MetricFilter {
        /** The log group the filter reads. */
        public static final String LOG_GROUP = "logGroup";
        public static final String PATTERN = "pattern";
        public static final String METRIC_NAMESPACE = "metricNamespace";
        public static final String METRIC_NAME = "metricName";

        private MetricFilter() {}
    }

    /** {@link ResourceType#KMS_KEY}: the resource's name is the key's alias. */
    public static final class KmsKey {
        /**
         * The key policy as canonical JSON ({@link PolicyDocument}), the account written
         * {@link AlertKey#ACCOUNT} (a key policy principal cannot be a policy variable: the driver
         * writes the account id, the observer reads it back as the placeholder).
         */
        public static final String POLICY = "policy";
        /** Automatic yearly rotation of the key material. */
        public static final String ROTATION = "rotation";
        /** The key is usable: neither disabled nor pending deletion. */
        public static final String ENABLED = "enabled";

        /** Observed only: the key's ARN, which log groups and the assets bucket are encrypted with. */
        public static final String ARN = "arn";

        private KmsKey() {}
    }

    /** {@link ResourceType#RDS_EVENT_SUBSCRIPTION}: the resource's name is the subscription's. */
    public static final class EventSubscription {
        /** The name of the SNS topic the events go to (the environment's alert topic). */
        public static final String TOPIC = "topic";
        /** {@code db-cluster} or {@code db-instance}. */
        public static final String SOURCE_TYPE = "sourceType";
        /** The sorted identifiers of the sources whose events are sent. */
        public static final String SOURCE_IDS = "sourceIds";
        /** The sorted event categories sent. */
        public static final String CATEGORIES = "categories";
        public static final String ENABLED = "enabled";

        private EventSubscription() {}
    }

    /**
     * {@link ResourceType#BACKUP_PLAN}: the resource's name is the plan's; its one rule
     * ({@link #RULE}) copies to the vault, its one selection assigns the cluster.
     */
    public static final class Backup {
        /** The vault the rule's recovery points go to, observed empty when it does not exist. */
        public static final String VAULT = "vault";
        /** The rule's schedule, an AWS Backup cron expression in UTC. */
        public static final String SCHEDULE = "schedule";
        /** Days a recovery point is kept. */
        public static final String RETENTION_DAYS = "retentionDays";
        /** The role AWS Backup assumes for the selection (its name). */
        public static final String SELECTION_ROLE = "selectionRole";
        /** The sorted DB cluster identifiers the selection assigns to the plan. */
        public static final String SELECTION_RESOURCES = "selectionResources";
        /** The name of the plan's one rule. */
        public static final String RULE = "daily";

        private Backup() {}
    }

    /**
     * Desired attributes that only matter when the resource is created: shown on a create, never
     * compared with live state afterwards (an environment restored from a snapshot is not drift).
     */
    public static final Set<String> CREATE_ONLY = Set.of(DbCluster.RESTORE_FROM);

    /**
     * Managed attributes the desired state sets only for some specs: the maintenance window's
     * (with {@code maintenance.window}) and the restore source (create only). Without them AWS's
     * own value is left alone; observers may report them always.
     */
    public static Set<String> optional(ResourceType type) {
        return switch (type) {
            case RDS_CLUSTER -> Set.of(DbCluster.MAINTENANCE_WINDOW, DbCluster.RESTORE_FROM);
            case OPENSEARCH_DOMAIN -> Set.of(Search.OFF_PEAK_START);
            case ELASTICACHE_REPLICATION_GROUP -> Set.of(Cache.MAINTENANCE_WINDOW);
            case IAM_ROLE -> Set.of(IamRole.POLICY);
            default -> Set.of();
        };
    }

    /**
     * Managed attributes compared only when the live resource reports them: an observer leaves one
     * out when the service's answer lacks the field (moto accepts Performance Insights but never
     * describes it; AWS always does), or when it is read from a second resource an endpoint may not
     * describe (the cache's maintenance window, from its member clusters); the diff then skips it
     * rather than plan a change forever. Present, it is compared as usual.
     */
    public static Set<String> whenReported(ResourceType type) {
        return switch (type) {
            case RDS_WRITER, RDS_READERS -> Set.of(DbInstances.PERFORMANCE_INSIGHTS,
                    DbInstances.PERFORMANCE_INSIGHTS_RETENTION);
            case ELASTICACHE_REPLICATION_GROUP -> Set.of(Cache.MAINTENANCE_WINDOW);
            case BACKUP_PLAN -> Set.of(Backup.SELECTION_ROLE, Backup.SELECTION_RESOURCES);
            default -> Set.of();
        };
    }

    /** The managed attributes of a resource type: what the desired state sets and the diff compares. */
    public static Set<String> managed(ResourceType type) {
        return switch (type) {
            case NETWORK_STACK -> Set.of(NetworkStack.ZONES, NetworkStack.EGRESS, NetworkStack.TEMPLATE_REVISION,
                    NetworkStack.HTTPS, NetworkStack.ORIGIN_SECRET_POLICY, NetworkStack.DROP_INVALID_HEADER_FIELDS,
                    NetworkStack.DELETION_PROTECTION, NetworkStack.ACCESS_LOGS);
            case S3_BUCKET -> Set.of(S3Bucket.VERSIONING, S3Bucket.ENCRYPTION, S3Bucket.ENCRYPTION_KEY,
                    S3Bucket.BUCKET_KEY, S3Bucket.PUBLIC_ACCESS_BLOCKED,
                    S3Bucket.SECURE_TRANSPORT_POLICY, S3Bucket.OBJECT_OWNERSHIP, S3Bucket.ACCESS_LOGS);
            case ECS_CLUSTER -> Set.of(EcsCluster.CONTAINER_INSIGHTS);
            case ECS_TASK_DEFINITION -> Set.of(EcsTask.IMAGE, EcsTask.CPU, EcsTask.MEMORY, EcsTask.TASK_ROLE,
                    EcsTask.EXECUTION_ROLE, EcsTask.LOG_GROUP, EcsTask.LOG_STREAM_PREFIX, EcsTask.ENVIRONMENT,
                    EcsTask.SECRETS, EcsTask.READONLY_ROOT_FILESYSTEM, EcsTask.WRITABLE_PATHS, EcsTask.SIDECARS);
            case ECS_SERVICE -> Set.of(EcsService.DESIRED_COUNT, EcsService.LAUNCH_TYPE, EcsService.TASK_DEFINITION,
                    EcsService.LOAD_BALANCED, EcsService.ENABLE_EXECUTE_COMMAND, EcsService.CIRCUIT_BREAKER,
                    EcsService.CIRCUIT_BREAKER_ROLLBACK, EcsService.MINIMUM_HEALTHY_PERCENT, EcsService.MAXIMUM_PERCENT);
            case AUTOSCALING_TARGET -> Set.of(ScalingTarget.SERVICE_NAMESPACE, ScalingTarget.SCALABLE_DIMENSION,
                    ScalingTarget.MIN_CAPACITY, ScalingTarget.MAX_CAPACITY, ScalingTarget.POLICY_METRIC,
                    ScalingTarget.POLICY_TARGET);
            case RDS_CLUSTER -> Set.of(DbCluster.ENGINE, DbCluster.ENGINE_VERSION, DbCluster.DELETION_PROTECTION,
                    DbCluster.BACKUP_RETENTION_DAYS, DbCluster.MANAGED_MASTER_PASSWORD, DbCluster.PARAMETER_GROUP,
                    DbCluster.PARAMETERS, DbCluster.LOG_EXPORTS);
            case RDS_WRITER -> Set.of(DbInstances.INSTANCE_CLASS, DbInstances.MONITORING_INTERVAL,
                    DbInstances.MONITORING_ROLE, DbInstances.PERFORMANCE_INSIGHTS,
                    DbInstances.PERFORMANCE_INSIGHTS_RETENTION);
            case RDS_READERS -> Set.of(DbInstances.INSTANCE_CLASS, DbInstances.COUNT, DbInstances.MONITORING_INTERVAL,
                    DbInstances.MONITORING_ROLE, DbInstances.PERFORMANCE_INSIGHTS,
                    DbInstances.PERFORMANCE_INSIGHTS_RETENTION);
            case RDS_PROXY -> Set.of(DbProxy.ENGINE_FAMILY, DbProxy.REQUIRE_TLS);
            case ELASTICACHE_REPLICATION_GROUP -> Set.of(Cache.ENGINE, Cache.NODE_TYPE, Cache.REPLICAS,
                    Cache.AUTOMATIC_FAILOVER, Cache.MULTI_AZ);
            case OPENSEARCH_DOMAIN -> Set.of(Search.ENGINE_VERSION, Search.INSTANCE_TYPE, Search.INSTANCE_COUNT,
                    Search.ZONE_AWARENESS, Search.FINE_GRAINED_ACCESS, Search.ACCESS_ROLES, Search.LOG_PUBLISHING,
                    Search.LOG_DELIVERY_POLICY);
            case CLOUDFRONT_DISTRIBUTION -> Set.of(Cdn.ALIASES, Cdn.PRICE_CLASS, Cdn.PAGE_TTL, Cdn.ASSET_TTL, Cdn.ENABLED,
                    Cdn.ORIGIN_PROTOCOL, Cdn.WEB_ACL);
            case ACM_CERTIFICATE -> Set.of(Certificate.DOMAIN_NAME, Certificate.ALTERNATIVE_NAMES);
            case SNS_TOPIC -> Set.of(Topic.SUBSCRIPTIONS, Topic.ENCRYPTION_KEY, Topic.CLOUDWATCH_PUBLISH,
                    Topic.RDS_EVENTS_PUBLISH);
            case CLOUDWATCH_ALARM -> Set.of(Alarm.METRIC, Alarm.DIMENSIONS, Alarm.COMPARISON, Alarm.THRESHOLD,
                    Alarm.PERIOD, Alarm.EVALUATION_PERIODS, Alarm.DATAPOINTS_TO_ALARM, Alarm.TREAT_MISSING_DATA,
                    Alarm.TOPIC);
            case IAM_ROLE -> Set.of(IamRole.TRUST_POLICY, IamRole.POLICY, IamRole.MANAGED_POLICIES);
            case LOG_GROUP -> Set.of(LogGroup.RETENTION_DAYS, LogGroup.KMS_KEY);
            case LOG_METRIC_FILTER -> Set.of(MetricFilter.LOG_GROUP, MetricFilter.PATTERN,
                    MetricFilter.METRIC_NAMESPACE, MetricFilter.METRIC_NAME);
            case KMS_KEY -> Set.of(KmsKey.POLICY, KmsKey.ROTATION, KmsKey.ENABLED);
            case RDS_EVENT_SUBSCRIPTION -> Set.of(EventSubscription.TOPIC, EventSubscription.SOURCE_TYPE,
                    EventSubscription.SOURCE_IDS, EventSubscription.CATEGORIES, EventSubscription.ENABLED);
            case WAF_WEB_ACL -> Set.of(WebAcl.RULES, WebAcl.RATE_LIMIT);
            case BACKUP_PLAN -> Set.of(Backup.VAULT, Backup.SCHEDULE, Backup.RETENTION_DAYS, Backup.SELECTION_ROLE,
                    Backup.SELECTION_RESOURCES);
        };
    }
}
