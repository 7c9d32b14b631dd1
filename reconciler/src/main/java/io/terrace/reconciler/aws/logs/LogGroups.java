package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ecs.EcsResources;
import io.terrace.reconciler.aws.network.OriginSecretPolicy;

import io.terrace.planner.AttributeKeys.LogGroup;
import io.terrace.planner.Component;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The CloudWatch Logs groups Terrace keeps, as it reads them: the containers'
 * ({@code /terrace/<env>/<component>}, at {@code <env>/<component>/logs}), the search domain's
 * ({@code /terrace/<env>/search/<kind>}, at {@code <env>/search/<kind>-logs}) and those RDS exports
 * the cluster's logs to ({@code /aws/rds/cluster/<id>/<type>}, at {@code <env>/database/<type>-logs}).
 */
public final class LogGroups {

    /** What every group Terrace makes starts with: the observer lists groups by it. */
    static final String PREFIX = "/terrace/";
    /** What the groups RDS exports Terrace's clusters' logs to start with. */
    static final String DATABASE_PREFIX = ResourceNames.DATABASE_LOG_GROUP_PREFIX + "terrace-";

    private LogGroups() {}

    /** Group name to address, for the groups of {@code env}. */
    static Map<String, String> addresses(String env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Component c : EcsResources.SERVICE_COMPONENTS) {
            out.put(ResourceNames.logGroup(env, c), Addresses.of(env, c, "logs"));
        }
        DesiredState.SEARCH_LOGS.values().forEach(kind -> out.put(ResourceNames.searchLogGroup(env, kind),
                Addresses.of(env, Component.SEARCH, kind + "-logs")));
        DesiredState.DATABASE_LOG_EXPORTS.forEach(type -> out.put(ResourceNames.databaseLogGroup(env, type),
                Addresses.of(env, Component.DATABASE, type + "-logs")));
        return out;
    }

    /**
     * A group as observed: its retention ({@code null} when it keeps events forever), its KMS
     * key's ARN ({@code null} when CloudWatch Logs' own key encrypts it) and the
     * extra {@code arn} (without the {@code :*} DescribeLogGroups appends).
     */
    static ObservedResource observed(String address, software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup g,
            Map<String, String> tags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(LogGroup.RETENTION_DAYS, g.retentionInDays());
        attributes.put(LogGroup.KMS_KEY, g.kmsKeyId());
        attributes.put("arn", arn(g));
        return new ObservedResource(address, ResourceType.LOG_GROUP, g.logGroupName(), attributes, tags);
    }

    public static String arn(software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup g) {
        if (g.logGroupArn() != null) {
            return g.logGroupArn();
        }
        String arn = g.arn();
        return arn != null && arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
    }

    /** The ARN of the region's group by that name (without the {@code :*} DescribeLogGroups appends). */
    static String arn(AwsClients aws, String name) {
        return OriginSecretPolicy.caller(aws).arn("logs", aws.region(), "log-group:" + name);
    }

    /** The group of exactly this name. */
    static Optional<software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup> find(CloudWatchLogsClient logs,
            String name) {
        return logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(name))
                .findFirst();
    }

    static Map<String, String> tags(CloudWatchLogsClient logs, String arn) {
        try {
            return new LinkedHashMap<>(logs.listTagsForResource(r -> r.resourceArn(arn)).tags());
        } catch (ResourceNotFoundException e) {
            return Map.of();
        }
    }
}
