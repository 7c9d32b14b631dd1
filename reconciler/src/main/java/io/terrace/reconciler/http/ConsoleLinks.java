package io.terrace.reconciler.http;

import io.terrace.planner.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The AWS console page of a live resource, from its type, region and identifier. */
final class ConsoleLinks {

    private ConsoleLinks() {}

    static Optional<String> of(ResourceType type, String region, String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String home = "https://" + region + ".console.aws.amazon.com/";
        String q = "?region=" + region;
        String name = id.substring(id.lastIndexOf('/') + 1);
        return Optional.ofNullable(switch (type) {
            case NETWORK_STACK -> home + "cloudformation/home" + q + "#/stacks/stackinfo?stackId=" + enc(id);
            case ECS_CLUSTER -> home + "ecs/v2/clusters/" + name + q;
            case ECS_SERVICE -> ecsService(home, q, id);
            case ECS_TASK_DEFINITION -> home + "ecs/v2/task-definitions/" + name.replace(':', '/') + q;
            case RDS_CLUSTER -> home + "rds/home" + q + "#database:id=" + name + ";is-cluster=true";
            case RDS_WRITER -> home + "rds/home" + q + "#database:id=" + name + ";is-cluster=false";
            case RDS_PROXY -> home + "rds/home" + q + "#proxy:id=" + name;
            case ELASTICACHE_REPLICATION_GROUP -> home + "elasticache/home" + q + "#/redis/" + name;
            case OPENSEARCH_DOMAIN -> home + "aos/home" + q + "#opensearch/domains/" + name;
            case CLOUDFRONT_DISTRIBUTION -> "https://console.aws.amazon.com/cloudfront/v4/home#/distributions/" + name;
            case SNS_TOPIC -> home + "sns/v3/home" + q + "#/topic/" + id;
            case CLOUDWATCH_ALARM -> home + "cloudwatch/home" + q + "#alarmsV2:alarm/" + enc(name);
            case IAM_ROLE -> "https://console.aws.amazon.com/iam/home#/roles/details/" + name;
            case LOG_GROUP -> home + "cloudwatch/home" + q + "#logsV2:log-groups/log-group/"
                    + enc(id).replace("%", "$25");
            case ACM_CERTIFICATE -> home + "acm/home" + q + "#/certificates/" + name;
            default -> null;
        });
    }

    /** {@code arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE}. */
    private static String ecsService(String home, String q, String id) {
        String[] parts = id.split("/");
        return parts.length == 3 ? home + "ecs/v2/clusters/" + parts[1] + "/services/" + parts[2] + q
                : home + "ecs/v2/clusters" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
