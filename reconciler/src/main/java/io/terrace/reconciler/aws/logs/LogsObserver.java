package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;

/**
 * The environments' log groups: DescribeLogGroups over the prefixes {@code /terrace/} and
 * {@code /aws/rds/cluster/terrace-} (the groups RDS exports to), pages of {@value #GROUPS_PER_PAGE}; tags from one tagging sweep of the service's resources
 * ({@code logs}: AWS types a log group {@code logs:log-group}, moto {@code logs:loggroup}; Terrace
 * tags no other Logs resource), and ListTagsForResource only for a group the sweep did not return
 * (the tagging API lists a new group some moments after it was made). The error-counting metric
 * filters: DescribeMetricFilters pages of {@value #FILTERS_PER_PAGE} (it has no group-name prefix,
 * so it pages the region's filters, kept by group and name), each with its group's tags. Up to
 * {@value ServiceObserver#FEW} environments are read by their own name prefixes and their filters group by group
 * instead, so that observing one does not page through the region's fleet.
 */
public final class LogsObserver implements ServiceObserver {

    static final int GROUPS_PER_PAGE = 50;
    static final int FILTERS_PER_PAGE = 50;

    private final AwsClients aws;

    public LogsObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        if (environments.isEmpty()) {
            return List.of();
        }
        Map<String, String> addressByName = new HashMap<>();
        environments.forEach(env -> addressByName.putAll(LogGroups.addresses(env)));
        List<LogGroup> found = new ArrayList<>();
        for (String prefix : prefixes(environments, addressByName.keySet())) {
            for (DescribeLogGroupsResponse page : aws.logs.describeLogGroupsPaginator(r -> r
                    .logGroupNamePrefix(prefix).limit(GROUPS_PER_PAGE))) {
                page.logGroups().stream().filter(g -> addressByName.containsKey(g.logGroupName())).forEach(found::add);
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("logs"), environments);
        List<ObservedResource> out = new ArrayList<>();
        Map<String, Map<String, String>> tagsByGroup = new HashMap<>();
        for (LogGroup g : found) {
            String arn = LogGroups.arn(g);
            Map<String, String> tags = swept.get(arn);
            if (tags == null) {
                tags = LogGroups.tags(aws.logs, arn);
            }
            out.add(LogGroups.observed(addressByName.get(g.logGroupName()), g, tags));
            tagsByGroup.put(g.logGroupName(), tags);
        }
        Map<String, String> filterAddresses = new HashMap<>();
        environments.forEach(env -> filterAddresses.putAll(MetricFilters.addresses(env)));
        for (MetricFilter f : metricFilters(environments, filterAddresses.keySet(), tagsByGroup.keySet())) {
            String address = filterAddresses.get(MetricFilters.key(f.logGroupName(), f.filterName()));
            if (address != null && tagsByGroup.containsKey(f.logGroupName())) {
                out.add(MetricFilters.observed(address, f, tagsByGroup.get(f.logGroupName())));
            }
        }
        return out;
    }

    /**
     * For a few environments, the filters of their groups that exist, group by group; for more,
     * the region's, paged ({@code keys} are {@link MetricFilters#key} values).
     */
    private List<MetricFilter> metricFilters(Collection<String> environments, Set<String> keys, Set<String> groups) {
        if (!ServiceObserver.few(environments)) {
            return aws.logs.describeMetricFiltersPaginator(r -> r.limit(FILTERS_PER_PAGE)).metricFilters().stream()
                    .toList();
        }
        Set<String> filtered = new TreeSet<>();
        keys.forEach(k -> filtered.add(k.substring(0, k.indexOf('|'))));
        filtered.retainAll(groups);
        List<MetricFilter> out = new ArrayList<>();
        filtered.forEach(group -> aws.logs.describeMetricFiltersPaginator(r -> r.logGroupName(group)
                .limit(FILTERS_PER_PAGE)).metricFilters().forEach(out::add));
        return out;
    }

    /**
     * The name prefixes to list: for a few environments, each one's own ({@code /terrace/<env>/},
     * {@code /aws/rds/cluster/terrace-<env>/}), so that observing one environment does not page
     * through the groups of the region's whole fleet; for more, the two that cover them all.
     */
    static List<String> prefixes(Collection<String> environments, Set<String> groupNames) {
        if (!ServiceObserver.few(environments)) {
            return List.of(LogGroups.PREFIX, LogGroups.DATABASE_PREFIX);
        }
        Set<String> own = new TreeSet<>();
        groupNames.forEach(name -> own.add(name.substring(0, name.lastIndexOf('/') + 1)));
        // A prefix inside another would list its groups twice.
        return own.stream().filter(p -> own.stream().noneMatch(o -> !o.equals(p) && p.startsWith(o))).toList();
    }
}
