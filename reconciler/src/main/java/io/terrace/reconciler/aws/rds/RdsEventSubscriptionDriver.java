package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.monitoring.SnsTopics;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.EventSubscription;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import software.amazon.awssdk.services.rds.model.SubscriptionNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * An RDS event subscription sending the cluster's or the writer's events to the alert topic. A
 * change to what it sends (topic, source, categories, enabled) deletes and creates it again under
 * the same name: one call each, where modifying it would take up to three (ModifyEventSubscription
 * and adding or removing source identifiers); events raised in between are not sent.
 */
public record RdsEventSubscriptionDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.RDS_EVENT_SUBSCRIPTION;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return RdsEventSubscriptions.describe(aws.rds, desired.name())
                .<LiveRead>map(s -> new LiveRead.Present(RdsEventSubscriptions.observed(desired.environment(),
                        kind(desired), s, RdsEventSubscriptions.tags(aws.rds, s.eventSubscriptionArn()))))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        String topic = (String) desired.attributes().get(EventSubscription.TOPIC);
        String topicArn = SnsTopics.existing(aws, topic)
                .orElseThrow(() -> new IllegalStateException(desired.address() + ": SNS topic " + topic
                        + " does not exist"));
        List<String> categories = strings(desired, EventSubscription.CATEGORIES);
        aws.rds.createEventSubscription(r -> {
            r.subscriptionName(desired.name())
                    .snsTopicArn(topicArn)
                    .sourceType((String) desired.attributes().get(EventSubscription.SOURCE_TYPE))
                    .sourceIds(strings(desired, EventSubscription.SOURCE_IDS))
                    .enabled((Boolean) desired.attributes().get(EventSubscription.ENABLED))
                    .tags(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build()));
            if (!categories.isEmpty()) {
                // None listed is every category.
                r.eventCategories(categories);
            }
        });
        return reread(desired);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        if (!changes.isEmpty()) {
            delete(live, context);
            return create(desired, context);
        }
        String arn = (String) live.attributes().get("arn");
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.rds.addTagsToResource(r -> r.resourceName(arn)
                        .tags(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                keys -> aws.rds.removeTagsFromResource(r -> r.resourceName(arn).tagKeys(keys)));
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        try {
            aws.rds.deleteEventSubscription(r -> r.subscriptionName(live.id()));
        } catch (SubscriptionNotFoundException e) {
            // already gone
        }
    }

    private ObservedResource reread(Resource desired) {
        LiveRead read = read(desired, null);
        if (read instanceof LiveRead.Present p) {
            return p.resource();
        }
        throw new IllegalStateException(desired.address() + ": event subscription " + desired.name()
                + " disappeared");
    }

    /** {@code cluster} or {@code instance}, from the resource's address ({@code <kind>-events}). */
    private static String kind(Resource desired) {
        String local = desired.address().substring(desired.address().lastIndexOf('/') + 1);
        return local.substring(0, local.length() - "-events".length());
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Resource desired, String key) {
        return (List<String>) desired.attributes().get(key);
    }
}
