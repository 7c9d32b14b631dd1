package io.terrace.reconciler.aws.monitoring;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.network.NetworkStacks;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.Alarms;
import io.terrace.planner.AttributeKeys.Alarm;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;

/**
 * One CloudWatch alarm of an environment ({@link Alarms}): PutMetricAlarm is an upsert, so
 * create and update are the same call, with both the alarm and the OK action publishing to the
 * environment's alert topic. Values the plan cannot know are looked up here: the load balancer
 * and target group from the network stack's outputs (their {@code app/...} and
 * {@code targetgroup/...} ARN suffixes), the account from the topic's ARN.
 */
public record CloudWatchAlarmDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.CLOUDWATCH_ALARM;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return CloudWatchAlarms.describe(aws.cloudWatch, desired.name())
                .<LiveRead>map(a -> new LiveRead.Present(CloudWatchAlarms.observed(desired.environment(), key(desired),
                        a, CloudWatchAlarms.tags(aws.cloudWatch, a.alarmArn()))))
                .orElse(LiveRead.ABSENT);
    }

    /** A wave's alarms in DescribeAlarms of up to 100 names, rather than one call each. */
    @Override
    public Map<String, LiveRead> readAll(List<Resource> desired, DriverContext context) {
        Map<String, Resource> byName = new LinkedHashMap<>();
        desired.forEach(r -> byName.put(r.name(), r));
        Map<String, LiveRead> out = new LinkedHashMap<>();
        desired.forEach(r -> out.put(r.address(), LiveRead.ABSENT));
        for (var a : CloudWatchAlarms.byName(aws.cloudWatch, List.copyOf(byName.keySet()))) {
            Resource r = byName.get(a.alarmName());
            out.put(r.address(), new LiveRead.Present(CloudWatchAlarms.observed(r.environment(), key(r), a,
                    CloudWatchAlarms.tags(aws.cloudWatch, a.alarmArn()))));
        }
        return out;
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        PutMetricAlarmRequest put = request(desired, context).tags(CloudWatchAlarms.toSdk(desired.tags())).build();
        aws.cloudWatch.putMetricAlarm(put);
        // A new alarm is what the request wrote, with its tags: not read again (DescribeAlarms has
        // an account-wide quota of 9 a second, and an environment has some twenty alarms).
        return CloudWatchAlarms.observed(desired.environment(), key(desired), CloudWatchAlarms.written(put),
                desired.tags());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        // Tags sent with PutMetricAlarm are ignored for an alarm that exists: they go through TagResource.
        aws.cloudWatch.putMetricAlarm(request(desired, context).build());
        String arn = String.valueOf(live.attributes().get("arn"));
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.cloudWatch.tagResource(r -> r.resourceARN(arn).tags(CloudWatchAlarms.toSdk(set))),
                remove -> aws.cloudWatch.untagResource(r -> r.resourceARN(arn).tagKeys(remove)));
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        try {
            aws.cloudWatch.deleteAlarms(r -> r.alarmNames(live.id()));
        } catch (ResourceNotFoundException alreadyGone) {
            // Deleting is idempotent.
        }
    }

    private PutMetricAlarmRequest.Builder request(Resource desired,
            DriverContext context) {
        String env = desired.environment();
        Alarms.Definition d = Alarms.definition(env, key(desired)).orElseThrow(() ->
                new IllegalStateException(desired.address() + ": no alarm named " + key(desired)));
        String topicArn = topicArn(env, context);
        Map<String, String> dimensions = new LinkedHashMap<>(d.dimensions());
        dimensions.replaceAll((name, value) -> Alarms.LOOKED_UP.equals(value) ? lookUp(env, name, topicArn, context) : value);
        double threshold = ((Number) desired.attributes().get(Alarm.THRESHOLD)).doubleValue();
        return CloudWatchAlarms.request(desired.name(), d, dimensions, threshold, topicArn);
    }

    private String lookUp(String env, String dimension, String topicArn, DriverContext context) {
        return switch (dimension) {
            case "LoadBalancer" -> arnSuffix(NetworkStacks.outputs(aws, env, context).get(NetworkStacks.LOAD_BALANCER_ARN),
                    ":loadbalancer/");
            case "TargetGroup" -> arnSuffix(NetworkStacks.outputs(aws, env, context).get(NetworkStacks.WEB_TARGET_GROUP_ARN),
                    ":");
            case "ClientId" -> topicArn.split(":")[4];
            default -> throw new IllegalStateException("no way to look up dimension " + dimension);
        };
    }

    /** {@code app/<name>/<id>} of a load balancer ARN, {@code targetgroup/<name>/<id>} of a target group's. */
    public static String arnSuffix(String arn, String after) {
        if (arn == null) {
            throw new IllegalStateException("the network stack has no load balancer outputs yet");
        }
        return arn.substring(arn.lastIndexOf(after) + after.length());
    }

    /** The topic's ARN: from the apply's live state, else by its name when it exists. */
    private String topicArn(String env, DriverContext context) {
        return context.live(SnsTopics.address(env)).map(ObservedResource::id)
                .or(() -> SnsTopics.existing(aws, io.terrace.planner.ResourceNames.alertTopic(env)))
                .orElseThrow(() -> new IllegalStateException("the alert topic of " + env + " does not exist yet"));
    }

    private ObservedResource reread(Resource desired) {
        return read(desired, null) instanceof LiveRead.Present p ? p.resource()
                : failMissing(desired);
    }

    private static ObservedResource failMissing(Resource desired) {
        throw new IllegalStateException("CloudWatch alarm " + desired.name() + " is missing right after PutMetricAlarm");
    }

    private static String key(Resource desired) {
        return Address.parse(desired.address()).resource();
    }
}
