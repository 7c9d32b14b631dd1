package io.terrace.planner;

import io.terrace.planner.AttributeKeys.Alarm;
import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.AttributeKeys.Cache;
import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.AttributeKeys.DbProxy;
import io.terrace.planner.AttributeKeys.EcsCluster;
import io.terrace.planner.AttributeKeys.EcsService;
import io.terrace.planner.AttributeKeys.EcsTask;
import io.terrace.planner.AttributeKeys.EventSubscription;
import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.planner.AttributeKeys.KmsKey;
import io.terrace.planner.AttributeKeys.LogGroup;
import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.AttributeKeys.S3Bucket;
import io.terrace.planner.AttributeKeys.ScalingTarget;
import io.terrace.planner.AttributeKeys.Search;
import io.terrace.planner.AttributeKeys.Topic;
import io.terrace.planner.AttributeKeys.WebAcl;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecTagKeys;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles a validated spec into the AWS resources of BRIEF §1, in dependency order. Every
 * attribute here is one a driver reads back and the diff compares; names come from
 * {@link ResourceNames}.
 */
public final class DesiredState {

    /** Target CPU utilisation (percent) the web autoscaling policy tracks. */
    static final int WEB_CPU_TARGET = 60;
    /** Pending cavalcade jobs per worker the cavalcade autoscaling policy tracks. */
    static final int CAVALCADE_BACKLOG_TARGET = 10;
    /** The custom metric of pending cavalcade jobs per worker (dimension {@code Environment=<env>}). */
    static final String CUSTOM_METRIC_NAMESPACE = "Terrace";
    static final String CAVALCADE_BACKLOG_METRIC = "CavalcadePendingJobsPerWorker";
    /** Target reader CPU the database reader autoscaling policy tracks. */
    static final int READER_CPU_TARGET = 70;
    /**
     * The revision of the network stack template (reconciler's {@code network-stack.json}, output
     * {@code TemplateRevision}). A stack observed at another revision is planned for an update,
     * which is how a template change reaches existing stacks; bump both together.
     */
    public static final int NETWORK_TEMPLATE_REVISION = 4;
    /** Enhanced monitoring's interval, in seconds, on the instances of production databases. */
    public static final int ENHANCED_MONITORING_INTERVAL = 60;
    /** Days Performance Insights keeps (7 is its free tier). */
    public static final int PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
    /**
     * A deployment starts the new tasks before it stops old ones: the service never drops below its
     * desired count and briefly runs twice as many (ECS's defaults for a replica service, set
     * explicitly so that they are drift-checked).
     */
    static final int MINIMUM_HEALTHY_PERCENT = 100;
    static final int MAXIMUM_PERCENT = 200;

    /**
     * The local resource names ({@code <env>/<component>/<resource>}) in the order {@link #compile}
     * declares them within a component. Deletions have no desired resource to take
     * {@code dependsOn} from, so they are ordered by component dependencies and this order.
     */
    static final List<String> RESOURCE_ORDER = List.of(
            "certificate", "stack", "bucket", "error-logs", "slowquery-logs", "audit-logs", "application-logs",
            "search-slow-logs", "index-slow-logs", "cluster", "monitoring-role", "writer", "readers", "reader-scaling", "proxy",
            "backup-role", "backup",
            "replication-group", "domain", "execution-role", "task-role", "logs", "task", "service", "scaling",
            "web-acl", "distribution", "alerts-key", "topic", "cluster-events", "instance-events");

    /**
     * The event categories the cluster's and the writer's event subscriptions send: none listed,
     * which is every category. Each is rare (a failover, a failure, maintenance, low storage, a
     * notice, a configuration change an apply made); every category also covers what Security
     * Hub's RDS.19 and RDS.20 ask for, and Prowler's event subscription checks pass only for all
     * categories or exactly their own short lists, which would leave out failovers.
     */
    public static final List<String> EVENT_CATEGORIES = List.of();

    /** The Aurora log types exported to CloudWatch Logs, each to a group Terrace creates first. */
    public static final List<String> DATABASE_LOG_EXPORTS = List.of("error", "slowquery");

    /**
     * The parameters of Terrace's cluster parameter group: TLS only; the slow query log on, for
     * statements over one second, written to files (which is what RDS exports).
     */
    public static final Map<String, Object> DATABASE_PARAMETERS = Collections.unmodifiableMap(new TreeMap<>(Map.of(
            "require_secure_transport", "ON",
            "slow_query_log", "1",
            "long_query_time", "1",
            "log_output", "FILE")));

    /** OpenSearch log types and the group kind each is published to ({@code /terrace/<env>/search/<kind>}). */
    public static final Map<String, String> SEARCH_LOGS = Collections.unmodifiableMap(new TreeMap<>(Map.of(
            "AUDIT_LOGS", "audit",
            "ES_APPLICATION_LOGS", "application",
            "SEARCH_SLOW_LOGS", "search-slow",
            "INDEX_SLOW_LOGS", "index-slow")));

    /**
     * The AWS managed rule groups of a production environment's web ACL, in priority order after
     * the rate-based rule: the core rule set, known bad inputs, SQL injection, PHP and WordPress.
     */
    public static final List<String> WEB_ACL_RULE_GROUPS = List.of("AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesPHPRuleSet",
            "AWSManagedRulesWordPressRuleSet");
    /** Requests per five minutes from one IP address the web ACL's rate-based rule allows. */
    public static final int WEB_ACL_RATE_LIMIT = 2000;

    /** The components whose containers run WordPress and so talk to the search domain. */
    public static final List<Component> SEARCH_CLIENTS = List.of(Component.WEB, Component.SANDBOX, Component.CAVALCADE);

    /** When the backup plan's daily rule starts: 03:00 UTC (an AWS Backup cron expression). */
    public static final String BACKUP_SCHEDULE = "cron(0 3 * * ? *)";

    private DesiredState() {}

    /**
     * An AWS Backup plan covers the database: the production stage of the tiers that pay for high
     * availability (business and enterprise), as for {@link #databaseInsights}.
     */
    public static boolean backups(EnvironmentSpec spec) {
        return databaseInsights(spec);
    }

    /**
     * Days the backup plan keeps a daily recovery point: 35 for business (past Aurora's own 14
     * days of point-in-time restore, a month back), 90 for enterprise.
     */
    public static int backupRetentionDays(Tier tier) {
        return tier == Tier.ENTERPRISE ? 90 : 35;
    }

    /**
     * Performance Insights and enhanced monitoring are on: the production stage of the tiers whose
     * production environments are highly available (business and enterprise, BRIEF's tier table).
     */
    public static boolean databaseInsights(EnvironmentSpec spec) {
        return spec.stage() == Stage.PRODUCTION && (spec.tier() == Tier.BUSINESS || spec.tier() == Tier.ENTERPRISE);
    }

    /** A spec alert as a topic subscription, {@code <protocol>:<endpoint>}. */
    public static String subscription(String alert) {
        return (alert.startsWith("https://") ? "https:" : "email:") + alert;
    }

    public static List<Resource> compile(EnvironmentSpec spec, String revision) {
        return new Builder(spec, revision).build();
    }

    private static final class Builder {
        private final EnvironmentSpec spec;
        private final String revision;
        private final String env;
        private final List<Resource> out = new ArrayList<>();
        private final Map<Component, List<String>> byComponent = new EnumMap<>(Component.class);

        Builder(EnvironmentSpec spec, String revision) {
            this.spec = spec;
            this.revision = revision;
            this.env = spec.name();
        }

        List<Resource> build() {
            boolean multiAz = spec.availability().isMultiAz();
            boolean production = spec.stage().id().equals("production");
            int zones = multiAz ? 2 : 1;
            var app = spec.application();

            var cdn = spec.cdn();
            // The load balancer's certificate names the CDN's aliases: CloudFront forwards the
            // viewer's Host header, and checks the origin's certificate against that name.
            boolean tls = cdn.enabled() && !cdn.aliases().isEmpty();
            if (tls) {
                certificate(Component.NETWORK, cdn.aliases());
            }
            add(Component.NETWORK, "stack", ResourceType.NETWORK_STACK, ResourceNames.networkStack(env),
                    attrs(NetworkStack.ZONES, zones,
                            NetworkStack.EGRESS, spec.network().egress().id(),
                            NetworkStack.TEMPLATE_REVISION, NETWORK_TEMPLATE_REVISION,
                            NetworkStack.HTTPS, tls,
                            NetworkStack.ORIGIN_SECRET_POLICY, NetworkStack.ORIGIN_SECRET_RESTRICTED,
                            NetworkStack.DROP_INVALID_HEADER_FIELDS, true,
                            NetworkStack.DELETION_PROTECTION, production && !spec.decommission(),
                            NetworkStack.ACCESS_LOGS, ResourceNames.loadBalancerLogPrefix(env)));
            add(Component.ASSETS, "bucket", ResourceType.S3_BUCKET, ResourceNames.assetsBucket(env),
                    attrs(S3Bucket.VERSIONING, spec.assets().versioning(),
                            S3Bucket.ENCRYPTION, S3Bucket.SSE_KMS,
                            S3Bucket.ENCRYPTION_KEY, keyArn(),
                            S3Bucket.BUCKET_KEY, true,
                            S3Bucket.PUBLIC_ACCESS_BLOCKED, true,
                            S3Bucket.SECURE_TRANSPORT_POLICY, S3Bucket.TLS_ONLY,
                            S3Bucket.OBJECT_OWNERSHIP, S3Bucket.BUCKET_OWNER_ENFORCED,
                            S3Bucket.ACCESS_LOGS, ResourceNames.bucketLogPrefix(env)));
            add(Component.CLUSTER, "cluster", ResourceType.ECS_CLUSTER, ResourceNames.ecsCluster(env),
                    attrs(EcsCluster.CONTAINER_INSIGHTS, spec.stage().id().equals("production") ? "enabled" : "disabled"));
            add(Component.CLUSTER, "execution-role", ResourceType.IAM_ROLE, ResourceNames.executionRole(env),
                    attrs(IamRole.TRUST_POLICY, RolePolicies.trust(),
                            IamRole.POLICY, RolePolicies.execution(env, spec.region()),
                            IamRole.MANAGED_POLICIES, List.of()));

            var db = spec.database();
            for (String type : DATABASE_LOG_EXPORTS) {
                add(Component.DATABASE, type + "-logs", ResourceType.LOG_GROUP, ResourceNames.databaseLogGroup(env, type),
                        attrs(LogGroup.RETENTION_DAYS, spec.logs().retentionDays(), LogGroup.KMS_KEY, keyArn()));
            }
            add(Component.DATABASE, "cluster", ResourceType.RDS_CLUSTER, ResourceNames.dbCluster(env),
                    attrs(DbCluster.ENGINE, "aurora-mysql",
                            DbCluster.ENGINE_VERSION, db.version(),
                            DbCluster.DELETION_PROTECTION, !spec.decommission(),
                            DbCluster.BACKUP_RETENTION_DAYS, spec.stage().id().equals("production") ? 14 : 1,
                            DbCluster.MANAGED_MASTER_PASSWORD, true,
                            DbCluster.PARAMETER_GROUP, ResourceNames.dbClusterParameterGroup(env, db.version()),
                            DbCluster.PARAMETERS, DATABASE_PARAMETERS,
                            DbCluster.LOG_EXPORTS, DATABASE_LOG_EXPORTS));
            spec.maintenance().parsed().ifPresent(w -> withAttribute(DbCluster.MAINTENANCE_WINDOW, w.toString()));
            db.restoreFrom().ifPresent(from -> withAttribute(DbCluster.RESTORE_FROM, from));
            boolean insights = databaseInsights(spec);
            if (insights) {
                add(Component.DATABASE, "monitoring-role", ResourceType.IAM_ROLE, ResourceNames.monitoringRole(env),
                        attrs(IamRole.TRUST_POLICY, RolePolicies.monitoringTrust(),
                                IamRole.MANAGED_POLICIES, List.of(RolePolicies.ENHANCED_MONITORING_POLICY)));
            }
            Map<String, Object> writer = attrs(DbInstances.INSTANCE_CLASS, db.instanceClass());
            writer.putAll(instanceMonitoring(insights));
            add(Component.DATABASE, "writer", ResourceType.RDS_WRITER, ResourceNames.dbWriter(env), writer);
            if (db.readers().max() > 0) {
                Map<String, Object> readers = attrs(DbInstances.INSTANCE_CLASS, db.instanceClass(),
                        DbInstances.COUNT, db.readers());
                readers.putAll(instanceMonitoring(insights));
                add(Component.DATABASE, "readers", ResourceType.RDS_READERS, ResourceNames.dbReaderPrefix(env), readers);
                add(Component.DATABASE, "reader-scaling", ResourceType.AUTOSCALING_TARGET,
                        "cluster:" + ResourceNames.dbCluster(env),
                        scaling("rds", "rds:cluster:ReadReplicaCount", db.readers(),
                                "RDSReaderAverageCPUUtilization", READER_CPU_TARGET));
            }
            if (db.proxy()) {
                add(Component.DATABASE, "proxy", ResourceType.RDS_PROXY, ResourceNames.dbProxy(env),
                        attrs(DbProxy.ENGINE_FAMILY, "MYSQL", DbProxy.REQUIRE_TLS, true));
            }
            if (backups(spec)) {
                add(Component.DATABASE, "backup-role", ResourceType.IAM_ROLE, ResourceNames.backupRole(env),
                        attrs(IamRole.TRUST_POLICY, RolePolicies.backupTrust(),
                                IamRole.MANAGED_POLICIES, List.of(RolePolicies.BACKUP_POLICY)));
                add(Component.DATABASE, "backup", ResourceType.BACKUP_PLAN, ResourceNames.backupPlan(env),
                        attrs(Backup.VAULT, ResourceNames.backupPlan(env),
                                Backup.SCHEDULE, BACKUP_SCHEDULE,
                                Backup.RETENTION_DAYS, backupRetentionDays(spec.tier()),
                                Backup.SELECTION_ROLE, ResourceNames.backupRole(env),
                                Backup.SELECTION_RESOURCES, List.of(ResourceNames.dbCluster(env))));
            }

            var cache = spec.cache();
            add(Component.CACHE, "replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP,
                    ResourceNames.cacheGroup(env),
                    attrs(Cache.ENGINE, "redis",
                            Cache.NODE_TYPE, cache.nodeType(),
                            Cache.REPLICAS, cache.replicas(),
                            Cache.AUTOMATIC_FAILOVER, multiAz && cache.replicas() > 0,
                            Cache.MULTI_AZ, multiAz && cache.replicas() > 0));
            spec.maintenance().parsed().ifPresent(w -> withAttribute(Cache.MAINTENANCE_WINDOW, w.toString()));

            var search = spec.search();
            Map<String, Object> publishing = new TreeMap<>();
            SEARCH_LOGS.forEach((type, kind) -> {
                add(Component.SEARCH, kind + "-logs", ResourceType.LOG_GROUP, ResourceNames.searchLogGroup(env, kind),
                        attrs(LogGroup.RETENTION_DAYS, spec.logs().retentionDays(), LogGroup.KMS_KEY, keyArn()));
                publishing.put(type, ResourceNames.searchLogGroup(env, kind));
            });
            add(Component.SEARCH, "domain", ResourceType.OPENSEARCH_DOMAIN, ResourceNames.searchDomain(env),
                    attrs(Search.ENGINE_VERSION, search.version(),
                            Search.INSTANCE_TYPE, search.instanceType(),
                            Search.INSTANCE_COUNT, search.nodes(),
                            Search.ZONE_AWARENESS, search.nodes() > 1 && multiAz,
                            Search.FINE_GRAINED_ACCESS, true,
                            Search.ACCESS_ROLES, searchRoles(app.sandbox().enabled()),
                            Search.LOG_PUBLISHING, publishing,
                            Search.LOG_DELIVERY_POLICY, ResourceNames.SEARCH_LOG_DELIVERY_POLICY));
            spec.maintenance().parsed().ifPresent(w -> withAttribute(Search.OFF_PEAK_START, w.startTime()));

            service(Component.WEB, app.image(), app.web().cpu(), app.web().memory(), app.web().range(), true, false);
            add(Component.WEB, "scaling", ResourceType.AUTOSCALING_TARGET,
                    "service/" + ResourceNames.ecsCluster(env) + "/" + ResourceNames.ecsService(Component.WEB),
                    scaling("ecs", "ecs:service:DesiredCount", app.web().range(),
                            "ECSServiceAverageCPUUtilization", WEB_CPU_TARGET));
            if (app.sandbox().enabled()) {
                service(Component.SANDBOX, app.image(), 512, 1024, new Range(1, 1), false, true);
            }
            service(Component.CAVALCADE, app.image(), 512, 1024, app.cavalcade(), false, false);
            add(Component.CAVALCADE, "scaling", ResourceType.AUTOSCALING_TARGET,
                    "service/" + ResourceNames.ecsCluster(env) + "/" + ResourceNames.ecsService(Component.CAVALCADE),
                    scaling("ecs", "ecs:service:DesiredCount", app.cavalcade(),
                            CAVALCADE_BACKLOG_METRIC, CAVALCADE_BACKLOG_TARGET));
            int tachyonCount = multiAz ? 2 : 1;
            service(Component.TACHYON, tachyonImage(), 512, 1024, new Range(tachyonCount, tachyonCount), true, false);

            if (cdn.enabled()) {
                if (tls) {
                    certificate(Component.CDN, cdn.aliases());
                }
                // Production sites get a web application firewall in front of CloudFront.
                if (production) {
                    List<String> rules = new ArrayList<>();
                    rules.add(WebAcl.RATE_RULE);
                    rules.addAll(WEB_ACL_RULE_GROUPS);
                    add(Component.CDN, "web-acl", ResourceType.WAF_WEB_ACL, ResourceNames.webAcl(env),
                            attrs(WebAcl.RULES, List.copyOf(rules), WebAcl.RATE_LIMIT, WEB_ACL_RATE_LIMIT));
                }
                add(Component.CDN, "distribution", ResourceType.CLOUDFRONT_DISTRIBUTION, ResourceNames.cdnComment(env),
                        attrs(Cdn.ALIASES, List.copyOf(new TreeSet<>(cdn.aliases())),
                                Cdn.PRICE_CLASS, cdn.priceClass(),
                                Cdn.PAGE_TTL, cdn.pageTtl(),
                                Cdn.ASSET_TTL, cdn.assetTtl(),
                                Cdn.ENABLED, true,
                                Cdn.ORIGIN_PROTOCOL, tls ? "https-only" : "http-only",
                                Cdn.WEB_ACL, production ? ResourceNames.webAcl(env) : Cdn.NO_WEB_ACL));
            }
            monitoring();
            return List.copyOf(out);
        }

        /**
         * The ARN of the environment's KMS key (the alert key), which its log groups and assets
         * bucket are encrypted with: known once the key exists, so they are applied after it.
         */
        private LiveRef keyArn() {
            return LiveRef.to(Address.of(env, Component.MONITORING, "alerts-key"), KmsKey.ARN);
        }

        /**
         * The alert key, the alert topic encrypted with it (declared after it, so depending on
         * it), then every alarm, each depending on the topic (and the network stack) only.
         */
        private void monitoring() {
            var monitoring = spec.monitoring();
            add(Component.MONITORING, "alerts-key", ResourceType.KMS_KEY, ResourceNames.alertKeyAlias(env),
                    attrs(KmsKey.POLICY, AlertKey.policy(env, spec.region()),
                            KmsKey.ROTATION, true,
                            KmsKey.ENABLED, true));
            add(Component.MONITORING, "topic", ResourceType.SNS_TOPIC, ResourceNames.alertTopic(env),
                    attrs(Topic.SUBSCRIPTIONS, subscriptions(monitoring.alerts()),
                            Topic.ENCRYPTION_KEY, ResourceNames.alertKeyAlias(env),
                            Topic.CLOUDWATCH_PUBLISH, true,
                            Topic.RDS_EVENTS_PUBLISH, true));
            String topic = Address.of(env, Component.MONITORING, "topic");
            databaseEvents("cluster", "db-cluster", ResourceNames.dbCluster(env), EVENT_CATEGORIES);
            databaseEvents("instance", "db-instance", ResourceNames.dbWriter(env), EVENT_CATEGORIES);
            for (Alarms.Definition d : Alarms.of(spec)) {
                Set<String> deps = new TreeSet<>(List.of(Address.of(env, Component.NETWORK, "stack"), topic));
                out.add(new Resource(Address.of(env, Component.MONITORING, d.key()), ResourceType.CLOUDWATCH_ALARM,
                        Component.MONITORING, ResourceNames.alarm(env, d.key()),
                        attrs(Alarm.METRIC, d.metricText(),
                                Alarm.DIMENSIONS, d.dimensionText(),
                                Alarm.COMPARISON, d.comparison(),
                                Alarm.THRESHOLD, d.thresholdValue(monitoring),
                                Alarm.PERIOD, d.period(),
                                Alarm.EVALUATION_PERIODS, d.evaluationPeriods(),
                                Alarm.DATAPOINTS_TO_ALARM, d.datapointsToAlarm(),
                                Alarm.TREAT_MISSING_DATA, Alarms.TREAT_MISSING_DATA,
                                Alarm.TOPIC, ResourceNames.alertTopic(env)),
                        tags(Component.MONITORING), deps));
            }
        }

        /**
         * An RDS event subscription of one source, after the topic it sends to and the source
         * (a subscription cannot name a source that does not exist yet).
         */
        private void databaseEvents(String kind, String sourceType, String source, List<String> categories) {
            add(Component.MONITORING, kind + "-events", ResourceType.RDS_EVENT_SUBSCRIPTION,
                    ResourceNames.rdsEventSubscription(env, kind),
                    attrs(EventSubscription.TOPIC, ResourceNames.alertTopic(env),
                            EventSubscription.SOURCE_TYPE, sourceType,
                            EventSubscription.SOURCE_IDS, List.of(source),
                            EventSubscription.CATEGORIES, categories,
                            EventSubscription.ENABLED, true));
            Resource last = out.remove(out.size() - 1);
            Set<String> deps = new TreeSet<>(last.dependsOn());
            deps.add(Address.of(env, Component.DATABASE, kind.equals("cluster") ? "cluster" : "writer"));
            out.add(new Resource(last.address(), last.type(), last.component(), last.name(), last.attributes(),
                    last.tags(), deps));
        }

        /** Enhanced monitoring and Performance Insights of every database instance, on or off. */
        private Map<String, Object> instanceMonitoring(boolean on) {
            return attrs(DbInstances.MONITORING_INTERVAL, on ? ENHANCED_MONITORING_INTERVAL : 0,
                    DbInstances.MONITORING_ROLE, on ? ResourceNames.monitoringRole(env) : "",
                    DbInstances.PERFORMANCE_INSIGHTS, on,
                    DbInstances.PERFORMANCE_INSIGHTS_RETENTION, on ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : 0);
        }

        /** The task roles of the components running WordPress, which index and query the domain. */
        private List<String> searchRoles(boolean sandbox) {
            TreeSet<String> roles = new TreeSet<>();
            for (Component c : SEARCH_CLIENTS) {
                if (c != Component.SANDBOX || sandbox) {
                    roles.add(ResourceNames.taskRole(env, c));
                }
            }
            return List.copyOf(roles);
        }

        /** {@code email:<address>} or {@code https:<url>}, sorted. */
        private static List<String> subscriptions(List<String> alerts) {
            return List.copyOf(new TreeSet<>(alerts.stream().map(DesiredState::subscription).toList()));
        }

        /** A DNS-validated certificate for the aliases: the first in order as its domain name. */
        private void certificate(Component c, List<String> aliases) {
            List<String> names = List.copyOf(new TreeSet<>(aliases));
            add(c, "certificate", ResourceType.ACM_CERTIFICATE, names.get(0),
                    attrs(Certificate.DOMAIN_NAME, names.get(0),
                            Certificate.ALTERNATIVE_NAMES, names.subList(1, names.size())));
        }

        /**
         * Where a component's container writes, its root filesystem being read-only: PHP's and
         * WordPress's temporary files ({@code /tmp}) and the PHP-FPM and web server's pid files and
         * sockets ({@code /var/run}); the sandbox adds the ECS Exec agent's state and logs, which
         * it keeps under {@code /var/lib/amazon} and {@code /var/log/amazon}; Tachyon (Node.js and
         * libvips) writes only temporary files.
         */
        static List<String> writablePaths(Component c) {
            return switch (c) {
                case TACHYON -> List.of("/tmp");
                case SANDBOX -> List.of("/tmp", "/var/lib/amazon", "/var/log/amazon", "/var/run");
                default -> List.of("/tmp", "/var/run");
            };
        }

        private static String tachyonImage() {
            return "humanmade/tachyon:3.0.0";
        }

        private void service(Component c, String image, int cpu, int memory, Range count,
                boolean loadBalanced, boolean exec) {
            add(c, "task-role", ResourceType.IAM_ROLE, ResourceNames.taskRole(env, c),
                    attrs(IamRole.TRUST_POLICY, RolePolicies.trust(), IamRole.POLICY, RolePolicies.task(env, c, spec.region()),
                            IamRole.MANAGED_POLICIES, RolePolicies.taskManagedPolicies(c, spec.application().apm())));
            add(c, "logs", ResourceType.LOG_GROUP, ResourceNames.logGroup(env, c),
                    attrs(LogGroup.RETENTION_DAYS, spec.logs().retentionDays(), LogGroup.KMS_KEY, keyArn()));
            for (MetricFilters.Filter f : MetricFilters.of(c)) {
                add(c, f.resource(), ResourceType.LOG_METRIC_FILTER, f.metric(),
                        MetricFilters.attributes(env, c, f));
            }
            add(c, "task", ResourceType.ECS_TASK_DEFINITION, ResourceNames.taskFamily(env, c),
                    attrs(EcsTask.IMAGE, image, EcsTask.CPU, cpu, EcsTask.MEMORY, memory,
                            EcsTask.TASK_ROLE, ResourceNames.taskRole(env, c),
                            EcsTask.EXECUTION_ROLE, ResourceNames.executionRole(env),
                            EcsTask.LOG_GROUP, ResourceNames.logGroup(env, c),
                            EcsTask.LOG_STREAM_PREFIX, c.id(),
                            EcsTask.ENVIRONMENT, ContainerEnvironment.variables(spec, c),
                            EcsTask.SECRETS, ContainerEnvironment.secrets(spec, c),
                            EcsTask.READONLY_ROOT_FILESYSTEM, true,
                            EcsTask.WRITABLE_PATHS, writablePaths(c),
                            EcsTask.SIDECARS, c == Component.WEB && spec.application().apm()
                                    ? List.of(Apm.sidecar()) : List.of()));
            add(c, "service", ResourceType.ECS_SERVICE, ResourceNames.ecsService(c),
                    attrs(EcsService.DESIRED_COUNT, count,
                            EcsService.LAUNCH_TYPE, "FARGATE",
                            EcsService.TASK_DEFINITION, ResourceNames.taskFamily(env, c),
                            EcsService.LOAD_BALANCED, loadBalanced,
                            EcsService.ENABLE_EXECUTE_COMMAND, exec,
                            EcsService.CIRCUIT_BREAKER, true,
                            EcsService.CIRCUIT_BREAKER_ROLLBACK, true,
                            EcsService.MINIMUM_HEALTHY_PERCENT, MINIMUM_HEALTHY_PERCENT,
                            EcsService.MAXIMUM_PERCENT, MAXIMUM_PERCENT));
        }

        private static Map<String, Object> scaling(String namespace, String dimension, Range range,
                String metric, int target) {
            return attrs(ScalingTarget.SERVICE_NAMESPACE, namespace,
                    ScalingTarget.SCALABLE_DIMENSION, dimension,
                    ScalingTarget.MIN_CAPACITY, range.min(),
                    ScalingTarget.MAX_CAPACITY, range.max(),
                    ScalingTarget.POLICY_METRIC, metric,
                    ScalingTarget.POLICY_TARGET, target);
        }

        /** One more attribute on the resource added last (an optional one: a spec's maintenance window). */
        private void withAttribute(String key, Object value) {
            Resource last = out.remove(out.size() - 1);
            Map<String, Object> a = new LinkedHashMap<>(last.attributes());
            a.put(key, value);
            out.add(new Resource(last.address(), last.type(), last.component(), last.name(), a, last.tags(),
                    last.dependsOn()));
        }

        private void add(Component c, String resource, ResourceType type, String name, Map<String, Object> attributes) {
            String address = Address.of(env, c, resource);
            Set<String> deps = new TreeSet<>();
            for (Component d : c.dependsOn()) {
                deps.addAll(byComponent.getOrDefault(d, List.of()));
            }
            // Within a component, later resources depend on earlier ones (task before service,
            // cluster before writer), which is the order they are declared in above.
            deps.addAll(byComponent.getOrDefault(c, List.of()));
            Resource draft = new Resource(address, type, c, name, attributes, tags(c), deps);
            // A live value it refers to comes from a resource applied first, unless that resource
            // depends on this one (the CDN on web): then the value arrives on the next pass.
            for (String ref : draft.referencedAddresses()) {
                if (!reaches(Address.parse(ref).component(), c)) {
                    deps.add(ref);
                }
            }
            out.add(new Resource(address, type, c, name, attributes, tags(c), deps));
            byComponent.computeIfAbsent(c, k -> new ArrayList<>()).add(address);
        }

        /** {@code from} depends on {@code to}, directly or through other components. */
        private static boolean reaches(Component from, Component to) {
            for (Component d : from.dependsOn()) {
                if (d == to || reaches(d, to)) {
                    return true;
                }
            }
            return from == to;
        }

        private Map<String, String> tags(Component c) {
            Map<String, String> tags = new LinkedHashMap<>(spec.tags());
            if (!spec.tags().isEmpty()) {
                // Which tags came from the spec, so that one dropped from it is removed from AWS too.
                tags.put(SpecTagKeys.TAG, SpecTagKeys.encode(spec.tags().keySet()));
            }
            tags.put(ObservedResource.MANAGED_BY, "terrace");
            tags.put(ObservedResource.ENVIRONMENT, env);
            tags.put(ObservedResource.COMPONENT, c.id());
            tags.put(ObservedResource.REVISION, revision);
            if (spec.decommission()) {
                tags.put(ObservedResource.DECOMMISSION, "true");
            }
            return tags;
        }

        private static Map<String, Object> attrs(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }
    }
}
