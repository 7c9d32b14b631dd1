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
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Observes the alarms of many environments by their deterministic names: DescribeAlarms of 100
 * names a call (the most it takes), mapped back to environments through the names; tags from one
 * tagging-API sweep, ListTagsForResource only for an alarm missing from it.
 *
 * <p>By name rather than by the prefix {@code terrace-}: the calls are those of the prefix's pages
 * (every environment has most of the 20 alarms), and no answer holds more than 100 alarms, which
 * an emulator that ignores {@code MaxRecords} (moto) would otherwise break: its one answer of
 * every alarm in the region, parsed whole by the SDK, took hundreds of MiB at 1,000 environments.
 */
public final class CloudWatchObserver implements ServiceObserver {

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
        // Sorted, so that each call asks for neighbouring environments' alarms.
        List<String> names = owners.keySet().stream().sorted().toList();
        List<MetricAlarm> alarms = CloudWatchAlarms.byName(aws.cloudWatch, names);
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
