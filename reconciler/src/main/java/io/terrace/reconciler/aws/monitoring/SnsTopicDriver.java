package io.terrace.reconciler.aws.monitoring;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Topic;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * The environment's alert topic: created encrypted with the desired KMS key, with a policy that
 * lets the environment's CloudWatch alarms publish, and subscribed to exactly the spec's alerts.
 * An e-mail subscription stays pending until its recipient confirms it; a pending one cannot be
 * removed (it has no ARN yet) and lapses by itself after three days.
 */
public record SnsTopicDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.SNS_TOPIC;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return SnsTopics.read(aws.sns, desired.environment(), SnsTopics.arn(aws, desired.name()))
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        String arn = aws.sns.createTopic(r -> r.name(desired.name())
                .attributes(Map.of(SnsTopics.KMS_KEY, key(desired)))
                .tags(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build()))).topicArn();
        return converge(desired, arn, List.of());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.sns.tagResource(r -> r.resourceArn(live.id())
                        .tags(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                remove -> aws.sns.untagResource(r -> r.resourceArn(live.id()).tagKeys(remove)));
        if (!key(desired).equals(live.attributes().get(Topic.ENCRYPTION_KEY))) {
            aws.sns.setTopicAttributes(r -> r.topicArn(live.id()).attributeName(SnsTopics.KMS_KEY)
                    .attributeValue(key(desired)));
        }
        return converge(desired, live.id(), SnsTopics.subscriptions(aws.sns, live.id()));
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        // DeleteTopic removes the subscriptions too, and succeeds when the topic is already gone.
        aws.sns.deleteTopic(r -> r.topicArn(live.id()));
    }

    /** Policy when it lacks one of Terrace's statements, then subscriptions to match the spec. */
    private ObservedResource converge(Resource desired, String arn, List<Subscription> live) {
        SnsClient sns = aws.sns;
        String env = desired.environment();
        Map<String, String> attributes = SnsTopics.attributes(sns, arn).orElseThrow(() ->
                new IllegalStateException("SNS topic " + arn + " disappeared"));
        if (!SnsTopics.letsCloudWatchPublish(attributes.get(SnsTopics.POLICY))
                || !SnsTopics.letsRdsPublish(attributes.get(SnsTopics.POLICY))) {
            sns.setTopicAttributes(r -> r.topicArn(arn).attributeName(SnsTopics.POLICY)
                    .attributeValue(SnsTopics.policy(arn, env)));
        }
        Set<String> wanted = new TreeSet<>(subscriptions(desired));
        Set<String> present = new TreeSet<>();
        for (Subscription s : live) {
            String key = SnsTopics.key(s);
            present.add(key);
            if (!wanted.contains(key) && !SnsTopics.isPending(s)) {
                sns.unsubscribe(r -> r.subscriptionArn(s.subscriptionArn()));
            }
        }
        for (String key : wanted) {
            if (!present.contains(key)) {
                int colon = key.indexOf(':');
                sns.subscribe(r -> r.topicArn(arn).protocol(key.substring(0, colon)).endpoint(key.substring(colon + 1)));
            }
        }
        return SnsTopics.read(sns, env, arn).orElseThrow(() -> new IllegalStateException("SNS topic " + arn + " disappeared"));
    }

    private static String key(Resource desired) {
        return String.valueOf(desired.attributes().get(Topic.ENCRYPTION_KEY));
    }

    @SuppressWarnings("unchecked")
    private static List<String> subscriptions(Resource desired) {
        return (List<String>) desired.attributes().getOrDefault(Topic.SUBSCRIPTIONS, List.of());
    }
}
