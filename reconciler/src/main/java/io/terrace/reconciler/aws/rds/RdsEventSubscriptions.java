package io.terrace.reconciler.aws.rds;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeKeys;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.EventSubscription;
import software.amazon.awssdk.services.rds.model.SubscriptionNotFoundException;

/**
 * The RDS event subscriptions of an environment as Terrace reads them: one for its cluster, one
 * for its writer, each sending to the alert topic (read back by the topic's name).
 */
public final class RdsEventSubscriptions {

    /** The kinds of subscription, each the first part of its resource name ({@code <kind>-events}). */
    public static final List<String> KINDS = ResourceNames.RDS_EVENT_KINDS;

    private RdsEventSubscriptions() {}

    public static String address(String env, String kind) {
        return Address.of(env, Component.MONITORING, kind + "-events");
    }

    /** Subscription name to {@code {env, kind}}, for the environments given. */
    static Map<String, String[]> names(Iterable<String> environments) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String env : environments) {
            for (String kind : KINDS) {
                out.put(ResourceNames.rdsEventSubscription(env, kind), new String[] {env, kind});
            }
        }
        return out;
    }

    /** One subscription by name, empty when there is none. */
    static Optional<EventSubscription> describe(RdsClient rds, String name) {
        try {
            return rds.describeEventSubscriptions(r -> r.subscriptionName(name)).eventSubscriptionsList().stream()
                    .findFirst();
        } catch (SubscriptionNotFoundException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> tags(RdsClient rds, String arn) {
        return RdsLive.tags(rds.listTagsForResource(r -> r.resourceName(arn)).tagList());
    }

    /** The subscription as observed: its managed attributes plus {@code arn} and {@code status}. */
    static ObservedResource observed(String env, String kind, EventSubscription s, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        String topic = s.snsTopicArn() == null ? "" : s.snsTopicArn();
        a.put(AttributeKeys.EventSubscription.TOPIC, topic.substring(topic.lastIndexOf(':') + 1));
        a.put(AttributeKeys.EventSubscription.SOURCE_TYPE, s.sourceType() == null ? "" : s.sourceType());
        a.put(AttributeKeys.EventSubscription.SOURCE_IDS, List.copyOf(new TreeSet<>(s.sourceIdsList())));
        a.put(AttributeKeys.EventSubscription.CATEGORIES, List.copyOf(new TreeSet<>(s.eventCategoriesList())));
        a.put(AttributeKeys.EventSubscription.ENABLED, Boolean.TRUE.equals(s.enabled()));
        a.put("arn", s.eventSubscriptionArn());
        a.put("status", s.status());
        return new ObservedResource(address(env, kind), ResourceType.RDS_EVENT_SUBSCRIPTION, s.custSubscriptionId(),
                a, tags);
    }
}
