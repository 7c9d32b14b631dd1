package io.terrace.reconciler.aws.monitoring;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;

/**
 * Observes the alert topics of many environments: ListTopics page by page (names are in the
 * ARNs), the subscriptions of all of them from one paged ListSubscriptions, tags from one
 * tagging-API sweep (ListTagsForResource only for a topic missing from it), and
 * GetTopicAttributes per topic for its key and policy, which no batch call returns. A
 * {@linkplain ServiceObserver#FEW few} environments' topics are read by their ARNs instead.
 */
public final class SnsObserver implements ServiceObserver {

    private final AwsClients aws;
    private final DetailReads details;

    public SnsObserver(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where the detail reads are kept between observes */
    public SnsObserver(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> topicEnv = new HashMap<>();
        environments.forEach(env -> topicEnv.put(ResourceNames.alertTopic(env), env));
        if (ServiceObserver.few(environments)) {
            return observeByArn(topicEnv, environments);
        }
        List<String> arns = aws.sns.listTopicsPaginator(r -> { }).topics().stream().map(Topic::topicArn)
                .filter(arn -> topicEnv.containsKey(SnsTopics.name(arn))).toList();
        if (arns.isEmpty()) {
            return List.of();
        }
        Map<String, List<Subscription>> byTopic = new HashMap<>();
        arns.forEach(arn -> byTopic.put(arn, new ArrayList<>()));
        aws.sns.listSubscriptionsPaginator(r -> { }).subscriptions().forEach(s -> {
            List<Subscription> list = byTopic.get(s.topicArn());
            if (list != null) {
                list.add(s);
            }
        });
        return observed(arns, topicEnv, byTopic, environments, details::waiting, (env, arn, tags) ->
                details.read(env, "sns:" + arn, tags, () -> SnsTopics.attributes(aws.sns, arn)));
    }

    /**
     * A few environments' topics by their ARNs (the caller's partition and account, the region,
     * the deterministic name): GetTopicAttributes tells whether each exists, and
     * ListSubscriptionsByTopic lists its subscriptions, instead of the account's topics and
     * subscriptions.
     */
    private List<ObservedResource> observeByArn(Map<String, String> topicEnv, Collection<String> environments) {
        Map<String, Map<String, String>> attributesByArn = new HashMap<>();
        Map<String, List<Subscription>> byTopic = new HashMap<>();
        for (String name : new TreeSet<>(topicEnv.keySet())) {
            String arn = SnsTopics.arn(aws, name);
            SnsTopics.attributes(aws.sns, arn).ifPresent(attributes -> {
                attributesByArn.put(arn, attributes);
                byTopic.put(arn, SnsTopics.subscriptions(aws.sns, arn));
            });
        }
        // The attributes were just read: they are this observe's, whatever is kept.
        return attributesByArn.isEmpty() ? List.of() : observed(List.copyOf(attributesByArn.keySet()), topicEnv, byTopic,
                environments, env -> false, (env, arn, tags) -> Optional.of(attributesByArn.get(arn)));
    }

    /** Where a topic's attributes come from: kept detail reads, or a read just made. */
    private interface Attributes {
        Optional<Map<String, String>> of(String env, String arn, Map<String, String> tags);
    }

    /**
     * @param unread whether an environment's topic attributes wait for their first read
     *               ({@link DetailReads#waiting}): its topic is observed without them
     */
    private List<ObservedResource> observed(List<String> arns, Map<String, String> topicEnv,
            Map<String, List<Subscription>> byTopic, Collection<String> environments,
            java.util.function.Predicate<String> unread, Attributes attributes) {
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("sns:topic"), environments);
        List<ObservedResource> out = new ArrayList<>();
        for (String arn : arns) {
            String env = topicEnv.get(SnsTopics.name(arn));
            Map<String, String> tags = swept.get(arn);
            if (tags != null && unread.test(env)) {
                out.add(SnsTopics.observed(env, arn, Map.of(), byTopic.get(arn), tags).withDetailsUnread(SnsTopics.DETAILS));
                continue;
            }
            attributes.of(env, arn, tags).ifPresent(a -> out.add(SnsTopics.observed(env, arn, a, byTopic.get(arn),
                    tags != null ? tags : SnsTopics.tags(aws.sns, arn))));
        }
        return out;
    }
}
