package io.terrace.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * The IAM policies of an environment's roles, as canonical JSON ({@link PolicyDocument}): the
 * execution role ECS uses to start every task, and one task role per component, each allowed
 * what that component's code needs and nothing else.
 *
 * <p>ARNs name the account with the policy variable {@code ${aws:PrincipalAccount}} (the account
 * of the role using the policy), so a plan needs no account id and reads the same in every
 * account; the region is the spec's.
 */
public final class RolePolicies {

    /** The path every role Terrace makes lives under; the observer lists roles by it. */
    public static final String PATH = "/terrace/";
    /** The name of the one inline policy of each role. */
    public static final String POLICY_NAME = "terrace";
    /** The CloudWatch namespace of the metric the Cavalcade runner publishes (see docs/aws.md). */
    public static final String CAVALCADE_METRIC_NAMESPACE = "Terrace";
    static final String ACCOUNT = "${aws:PrincipalAccount}";

    private RolePolicies() {}

    /** The AWS-managed policy that lets RDS publish enhanced monitoring to CloudWatch Logs. */
    public static final String ENHANCED_MONITORING_POLICY =
            "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

    /** The AWS-managed policy that lets AWS Backup snapshot and tag the resources of a selection. */
    public static final String BACKUP_POLICY =
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";

    /** AWS Backup (the {@code backup.amazonaws.com} service) may assume the role. */
    public static String backupTrust() {
        return PolicyDocument.builder().trust("backup.amazonaws.com").build();
    }

    /** RDS enhanced monitoring (the {@code monitoring.rds.amazonaws.com} service) may assume the role. */
    public static String monitoringTrust() {
        return PolicyDocument.builder().trust("monitoring.rds.amazonaws.com").build();
    }

    /**
     * The managed policies of a component's task role: X-Ray's write access for the web role when
     * the APM collector runs beside it, none otherwise.
     */
    public static List<String> taskManagedPolicies(Component component, boolean apm) {
        return component == Component.WEB && apm ? List.of(Apm.XRAY_POLICY) : List.of();
    }

    /** ECS tasks (the {@code ecs-tasks.amazonaws.com} service) may assume the role. */
    public static String trust() {
        return PolicyDocument.builder().trust("ecs-tasks.amazonaws.com").build();
    }

    /**
     * Pull images from the account's ECR repositories, write the environment's log groups, read
     * the environment's Aurora-managed master secret (RDS names it {@code rds!cluster-<id>} and
     * tags it with the cluster's ARN, which is what singles this environment's out).
     */
    public static String execution(String env, String region) {
        return PolicyDocument.builder()
                .allow("PullImagesToken", List.of("ecr:GetAuthorizationToken"), List.of("*"))
                .allow("PullImages", List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                        "ecr:BatchGetImage"), List.of(arn("ecr", region, "repository/*")))
                .allow("WriteLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        List.of(arn("logs", region, "log-group:" + ResourceNames.logGroupPrefix(env) + "*"),
                                arn("logs", region, "log-group:" + ResourceNames.logGroupPrefix(env) + "*:log-stream:*")))
                .allowIf("ReadDatabaseSecret", List.of("secretsmanager:GetSecretValue"),
                        List.of(arn("secretsmanager", region, "secret:rds!cluster-*")),
                        "StringEquals", "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn",
                        arn("rds", region, "cluster:" + ResourceNames.dbCluster(env)))
                .build();
    }

    /**
     * What a component's code may do: web and the sandbox read and write the uploads bucket,
     * cavalcade too and publishes its backlog metric, tachyon only reads the bucket. The three that
     * run WordPress send HTTP requests to the search domain (whose access policy names them too).
     */
    public static String task(String env, Component component, String region) {
        String bucket = "arn:aws:s3:::" + ResourceNames.assetsBucket(env);
        PolicyDocument.Builder doc = PolicyDocument.builder();
        if (component == Component.TACHYON) {
            doc.allow("ListAssets", List.of("s3:ListBucket"), List.of(bucket))
                    .allow("ReadAssets", List.of("s3:GetObject"), List.of(bucket + "/*"));
            return assetsKey(doc, env, region, List.of("kms:Decrypt")).build();
        }
        doc.allow("ListAssets", List.of("s3:ListBucket"), List.of(bucket))
                .allow("ReadWriteAssets", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                        List.of(bucket + "/*"));
        assetsKey(doc, env, region, List.of("kms:Decrypt", "kms:GenerateDataKey"));
        if (DesiredState.SEARCH_CLIENTS.contains(component)) {
            doc.allow("QuerySearch", List.of("es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost",
                    "es:ESHttpPut"), List.of(arn("es", region, "domain/" + ResourceNames.searchDomain(env) + "/*")));
        }
        if (component == Component.CAVALCADE) {
            // PutMetricData has no resource type: the namespace condition is what narrows it.
            doc.allowIf("PublishBacklogMetric", List.of("cloudwatch:PutMetricData"), List.of("*"),
                    "StringEquals", "cloudwatch:namespace", CAVALCADE_METRIC_NAMESPACE);
        }
        if (component == Component.SANDBOX) {
            // ECS Exec's Session Manager channels: these actions accept only "*" as resource.
            List<String> exec = new ArrayList<>();
            for (String a : List.of("CreateControlChannel", "CreateDataChannel", "OpenControlChannel",
                    "OpenDataChannel")) {
                exec.add("ssmmessages:" + a);
            }
            doc.allow("ExecuteCommand", exec, List.of("*"));
        }
        return doc.build();
    }

    /**
     * The assets bucket's objects are encrypted with the environment's KMS key (SSE-KMS): reading
     * one needs {@code kms:Decrypt}, writing one {@code kms:GenerateDataKey}. The key's id is only
     * known once it exists, so the statement names it by its alias, and only through S3.
     */
    private static PolicyDocument.Builder assetsKey(PolicyDocument.Builder doc, String env, String region,
            List<String> actions) {
        return doc.allowIf("UseAssetsKey", actions, List.of(arn("kms", region, "key/*")),
                        "ForAnyValue:StringEquals", "kms:ResourceAliases", ResourceNames.alertKeyAlias(env))
                .condition("StringEquals", "kms:ViaService", List.of("s3." + region + ".amazonaws.com"));
    }

    private static String arn(String service, String region, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + resource;
    }
}
