package io.terrace.reconciler.aws.rds;

import io.terrace.planner.ObservedResource;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.EventSubscription;

/**
 * Observes the RDS event subscriptions of many environments: one paged
 * DescribeEventSubscriptions for all of them (names are deterministic), their tags from one
 * tagging-API sweep, ListTagsForResource only for a subscription missing from it.
 */
public final class RdsEventSubscriptionObserver implements ServiceObserver {

    private static final int PAGE = 100;

    private final AwsClients aws;

    public RdsEventSubscriptionObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String[]> names = RdsEventSubscriptions.names(environments);
        List<EventSubscription> found = aws.rds.describeEventSubscriptionsPaginator(r -> r.maxRecords(PAGE))
                .eventSubscriptionsList().stream().filter(s -> names.containsKey(s.custSubscriptionId())).toList();
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("rds:es"), environments);
        List<ObservedResource> out = new ArrayList<>();
        for (EventSubscription s : found) {
            String[] envKind = names.get(s.custSubscriptionId());
            Map<String, String> tags = swept.get(s.eventSubscriptionArn());
            out.add(RdsEventSubscriptions.observed(envKind[0], envKind[1], s,
                    tags != null ? tags : RdsEventSubscriptions.tags(aws.rds, s.eventSubscriptionArn())));
        }
        return out;
    }
}
