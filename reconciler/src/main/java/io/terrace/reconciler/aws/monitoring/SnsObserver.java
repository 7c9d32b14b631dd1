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
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;

/**
 * Observes the alert topics of many environments: ListTopics page by page (names are in the
 * ARNs), the subscriptions of all of them from one paged ListSubscriptions, tags from one
 * tagging-API sweep (ListTagsForResource only for a topic missing from it), and
 * GetTopicAttributes per topic for its key and policy, which no batch call returns.
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
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("sns:topic"), environments);
        List<ObservedResource> out = new ArrayList<>();
        for (String arn : arns) {
            String env = topicEnv.get(SnsTopics.name(arn));
            Map<String, String> tags = swept.get(arn);
            details.read(env, "sns:" + arn, tags, () -> SnsTopics.attributes(aws.sns, arn)).ifPresent(attributes ->
                    out.add(SnsTopics.observed(env, arn, attributes, byTopic.get(arn),
                            tags != null ? tags : SnsTopics.tags(aws.sns, arn))));
        }
        return out;
    }
}
