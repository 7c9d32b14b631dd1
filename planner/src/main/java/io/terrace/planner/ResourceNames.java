package io.terrace.planner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic AWS names derived from an environment name, within each service's limits. A name
 * that would be too long is cut and given a stable hash suffix, so it never changes between runs.
 */
public final class ResourceNames {

    private ResourceNames() {}

    /** CloudFormation network stack, ECS cluster, Aurora cluster, ElastiCache group id. */
    public static String base(String env) {
        return fit("terrace-" + env, 40);
    }

    public static String networkStack(String env) {
        return fit("terrace-" + env + "-network", 128);
    }

    public static String ecsCluster(String env) {
        return base(env);
    }

    public static String taskFamily(String env, Component component) {
        return fit("terrace-" + env + "-" + component.id(), 255);
    }

    /** ECS service names are unique within the environment's own cluster. */
    public static String ecsService(Component component) {
        return component.id();
    }

    public static String dbCluster(String env) {
        return fit("terrace-" + env, 63);
    }

    /** The cluster parameter group of a major version, e.g. {@code terrace-shop-mysql8-0}. */
    public static String dbClusterParameterGroup(String env, String majorVersion) {
        String suffix = "-mysql" + majorVersion.replace('.', '-');
        return fit("terrace-" + env, 255 - suffix.length()) + suffix;
    }

    public static String dbWriter(String env) {
        return fit("terrace-" + env, 56) + "-writer";
    }

    public static String dbReaderPrefix(String env) {
        return fit("terrace-" + env, 53) + "-reader-";
    }

    public static String dbProxy(String env) {
        return fit("terrace-" + env, 57) + "-proxy";
    }

    /** ElastiCache replication group ids are at most 40 characters. */
    public static String cacheGroup(String env) {
        return fit("terrace-" + env, 40);
    }

    /** OpenSearch domain names are at most 28 characters. */
    public static String searchDomain(String env) {
        return fit("terrace-" + env, 28);
    }

    /** S3 bucket names are at most 63 characters. */
    public static String assetsBucket(String env) {
        return fit("terrace-" + env, 56) + "-assets";
    }

    /**
     * The log bucket of an account in a region, shared by every environment there and never
     * deleted by Terrace: the load balancers' access logs and the assets buckets' server access
     * logs (at most 40 characters: 12 digits and the longest region name).
     */
    public static String logBucket(String account, String region) {
        return "terrace-logs-" + account + "-" + region;
    }

    /** The prefix of an environment's load balancer access logs in the log bucket. */
    public static String loadBalancerLogPrefix(String env) {
        return env + "/alb";
    }

    /** The prefix of an environment's assets bucket server access logs in the log bucket. */
    public static String bucketLogPrefix(String env) {
        return env + "/s3/";
    }

    /** WAFv2 web ACL names are at most 128 characters of letters, digits, hyphens and underscores. */
    public static String webAcl(String env) {
        return fit("terrace-" + env, 128);
    }

    /** IAM role names are at most 64 characters. The execution role ECS starts the tasks with. */
    public static String executionRole(String env) {
        return fit("terrace-" + env + "-execution", 64);
    }

    /** The role a component's containers run as. */
    public static String taskRole(String env, Component component) {
        return fit("terrace-" + env + "-" + component.id() + "-task", 64);
    }

    /** The role RDS publishes the database instances' enhanced monitoring with. */
    public static String monitoringRole(String env) {
        return fit("terrace-" + env + "-rds-monitoring", 64);
    }

    /** The role AWS Backup assumes to back up the environment's database ({@code terrace-<env>-backup}). */
    public static String backupRole(String env) {
        return fit("terrace-" + env + "-backup", 64);
    }

    /**
     * The environment's AWS Backup plan, and the name of its vault and of its selection too
     * ({@code terrace-<env>}; each allows 50 characters).
     */
    public static String backupPlan(String env) {
        return fit("terrace-" + env, 50);
    }

    /** The CloudWatch Logs group of a component's containers: {@code /terrace/<env>/<component>}. */
    public static String logGroup(String env, Component component) {
        return logGroupPrefix(env) + component.id();
    }

    /** What every log group of the environment starts with. */
    public static String logGroupPrefix(String env) {
        return "/terrace/" + env + "/";
    }

    /** The group an OpenSearch log type is published to: {@code /terrace/<env>/search/<kind>}. */
    public static String searchLogGroup(String env, String kind) {
        return logGroupPrefix(env) + Component.SEARCH.id() + "/" + kind;
    }

    /** The group RDS exports a cluster's log type to (a name RDS fixes): {@code /aws/rds/cluster/<id>/<type>}. */
    public static String databaseLogGroup(String env, String type) {
        return DATABASE_LOG_GROUP_PREFIX + dbCluster(env) + "/" + type;
    }

    /** What the groups RDS exports Terrace's clusters' logs to start with. */
    public static final String DATABASE_LOG_GROUP_PREFIX = "/aws/rds/cluster/";

    /**
     * The one CloudWatch Logs resource policy per region letting OpenSearch Service write to every
     * {@code /terrace/*} group (a region holds at most ten resource policies).
     */
    public static final String SEARCH_LOG_DELIVERY_POLICY = "terrace-opensearch-logs";

    /** CloudFront distributions have no name: Terrace finds them by this comment. */
    public static String cdnComment(String env) {
        return "terrace:" + env;
    }

    /** The environment's alert topic (SNS topic names are at most 256 characters). */
    public static String alertTopic(String env) {
        return fit("terrace-" + env + "-alerts", 256);
    }

    /**
     * A CloudWatch alarm, {@code terrace-<env>-<alarm>}: the prefix {@code terrace-} lets one
     * DescribeAlarms sweep find every environment's alarms (alarm names are at most 255 characters;
     * environment names at most 40).
     */
    /** The alias of the environment's alert key: {@code alias/terrace/<env>/alerts}. */
    /** The kinds of RDS event subscription an environment has: its cluster's and its writer's. */
    public static final java.util.List<String> RDS_EVENT_KINDS = java.util.List.of("cluster", "instance");

    /**
     * An RDS event subscription's name: {@code terrace-<env>-<kind>-events}, {@code kind} being
     * {@code cluster} or {@code instance} (letters, digits and hyphens, at most 255).
     */
    public static String rdsEventSubscription(String env, String kind) {
        if (!RDS_EVENT_KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown event subscription kind " + kind);
        }
        return fit("terrace-" + env + "-" + kind + "-events", 255);
    }

    public static String alertKeyAlias(String env) {
        return "alias/terrace/" + env + "/alerts";
    }

    public static String alarm(String env, String alarm) {
        return "terrace-" + env + "-" + alarm;
    }

    /** The ElastiCache node the cache alarms watch: the group's first node, its primary when created. */
    public static String cachePrimaryNode(String env) {
        return cacheGroup(env) + "-001";
    }

    /** {@code name} when it fits, else a prefix and an 8-hex-digit hash of the whole name. */
    static String fit(String name, int max) {
        if (name.length() <= max) {
            return name;
        }
        String hash = sha256(name).substring(0, 8);
        String head = name.substring(0, max - 9);
        while (head.endsWith("-")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + hash;
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
