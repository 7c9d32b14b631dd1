package io.terrace.planner;

import java.util.Set;

/**
 * The kinds of AWS resource Terrace manages. Each kind knows which attribute changes force a
 * replacement; the drivers in {@code reconciler} implement one driver per kind.
 */
public enum ResourceType {
    /** CloudFormation stack holding VPC, subnets, security groups, ALB, target groups, listener. */
    NETWORK_STACK("aws_cloudformation_stack", Set.of()),
    ECS_CLUSTER("aws_ecs_cluster", Set.of()),
    /** A task definition family; a change registers a new revision. */
    ECS_TASK_DEFINITION("aws_ecs_task_definition", Set.of()),
    ECS_SERVICE("aws_ecs_service", Set.of(AttributeKeys.EcsService.LAUNCH_TYPE)),
    /** An application-autoscaling scalable target with its target-tracking policy. */
    AUTOSCALING_TARGET("aws_appautoscaling_target", Set.of()),
    RDS_CLUSTER("aws_rds_cluster", Set.of(AttributeKeys.DbCluster.ENGINE)),
    RDS_WRITER("aws_rds_cluster_instance", Set.of()),
    /** The reader instances of a cluster, as one set whose count is kept within a range. */
    RDS_READERS("aws_rds_cluster_readers", Set.of()),
    RDS_PROXY("aws_db_proxy", Set.of()),
    ELASTICACHE_REPLICATION_GROUP("aws_elasticache_replication_group", Set.of(AttributeKeys.Cache.ENGINE)),
    OPENSEARCH_DOMAIN("aws_opensearch_domain", Set.of()),
    S3_BUCKET("aws_s3_bucket", Set.of()),
    CLOUDFRONT_DISTRIBUTION("aws_cloudfront_distribution", Set.of()),
    /** The environment's alert topic, with its subscriptions. */
    SNS_TOPIC("aws_sns_topic", Set.of()),
    /** One CloudWatch metric alarm ({@link Alarms}). */
    CLOUDWATCH_ALARM("aws_cloudwatch_metric_alarm", Set.of()),
    /** An IAM role under the path {@code /terrace/} with its trust policy and one inline policy. */
    IAM_ROLE("aws_iam_role", Set.of()),
    /** A CloudWatch Logs group for one component's containers. */
    LOG_GROUP("aws_cloudwatch_log_group", Set.of()),
    /**
     * A public ACM certificate, DNS-validated: the CDN's in us-east-1, the load balancer's in the
     * environment's region. New names are a new certificate, requested before the old one is let go.
     */
    ACM_CERTIFICATE("aws_acm_certificate", Set.of()),
    /**
     * A CloudWatch Logs metric filter on a component's log group ({@link MetricFilters}). It
     * cannot be tagged: it is observed with the tags of its log group.
     */
    LOG_METRIC_FILTER("aws_cloudwatch_log_metric_filter", Set.of()),
    /**
     * A customer managed KMS key with its alias ({@link AlertKey}): the alert topic is encrypted
     * with it, since CloudWatch alarms cannot use the AWS-managed {@code alias/aws/sns}.
     */
    KMS_KEY("aws_kms_key", Set.of()),
    /**
     * An RDS event subscription sending one source type's events (the cluster's, or its writer's)
     * to the environment's alert topic.
     */
    RDS_EVENT_SUBSCRIPTION("aws_db_event_subscription", Set.of()),
    /**
     * A WAFv2 web ACL of scope CLOUDFRONT (in us-east-1) in front of the environment's
     * distribution ({@link DesiredState#WEB_ACL_RULE_GROUPS}, a rate-based rule).
     */
    WAF_WEB_ACL("aws_wafv2_web_acl", Set.of()),
    /**
     * A production database's AWS Backup plan, with the vault its rule copies to and the selection
     * assigning the Aurora cluster to it ({@link DesiredState#backups}).
     */
    BACKUP_PLAN("aws_backup_plan", Set.of());

    private final String id;
    private final Set<String> replaceOn;

    ResourceType(String id, Set<String> replaceOn) {
        this.id = id;
        this.replaceOn = replaceOn;
    }

    /** Terraform-style type name shown in plans. */
    public String id() {
        return id;
    }

    /** Attributes whose change cannot be made in place. */
    public Set<String> replaceOn() {
        return replaceOn;
    }

    /**
     * Destroying it loses customer data (the Aurora cluster and its writer, the uploads bucket,
     * the search domain), so the safety rules refuse to delete or replace it without a
     * decommission or {@code --allow-destroy}. Readers, the proxy and autoscaling targets of a
     * data-bearing component hold no data of their own and may go when the spec drops them.
     */
    public boolean holdsData() {
        return switch (this) {
            case RDS_CLUSTER, RDS_WRITER, S3_BUCKET, OPENSEARCH_DOMAIN -> true;
            default -> false;
        };
    }

    public static ResourceType ofId(String id) {
        for (ResourceType t : values()) {
            if (t.id.equals(id) || t.name().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown resource type " + id);
    }
}
