package io.terrace.reconciler.aws.monitoring;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.Alarms;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Observes the alarms of many environments: one DescribeAlarms sweep over the prefix
 * {@code terrace-}, 100 alarms a page (a {@linkplain ServiceObserver#FEW few} environments' by their
 * names), mapped back to environments through the deterministic
 * names; tags from one tagging-API sweep, ListTagsForResource only for an alarm missing from it.
 */
public final class CloudWatchObserver implements ServiceObserver {

    static final String PREFIX = "terrace-";
    private static final int PAGE = 100;

    private final AwsClients aws;

    public CloudWatchObserver(AwsClients aws) {
        this.aws = aws;
    }

    /** Environment and alarm key of each name the environments' alarms may have. */
    private record Owner(String env, String key) {}

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, Owner> owners = new HashMap<>();
        for (String env : environments) {
            for (String key : Alarms.keys()) {
                owners.put(ResourceNames.alarm(env, key), new Owner(env, key));
            }
        }
        // A few environments' alarms are asked for by name (at most a page of names), not by the fleet's prefix.
        List<String> names = owners.keySet().stream().sorted().toList();
        boolean byName = ServiceObserver.few(environments) && names.size() <= PAGE;
        List<MetricAlarm> alarms = aws.cloudWatch.describeAlarmsPaginator(r -> (byName ? r.alarmNames(names)
                        : r.alarmNamePrefix(PREFIX)).alarmTypes(AlarmType.METRIC_ALARM).maxRecords(PAGE))
                .metricAlarms().stream().filter(a -> owners.containsKey(a.alarmName())).toList();
        if (alarms.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("cloudwatch:alarm"), environments);
        List<ObservedResource> out = new ArrayList<>();
        for (MetricAlarm a : alarms) {
            Owner owner = owners.get(a.alarmName());
            Map<String, String> tags = swept.get(a.alarmArn());
            out.add(CloudWatchAlarms.observed(owner.env(), owner.key(), a,
                    tags != null ? tags : CloudWatchAlarms.tags(aws.cloudWatch, a.alarmArn())));
        }
        return out;
    }
}
