package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.MetricFilter;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A CloudWatch Logs metric filter, put with PutMetricFilter. A filter has no tags: it is read with
 * its group's, so a decommission mark reaches it through the group.
 */
public record MetricFilterDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.LOG_METRIC_FILTER;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return MetricFilters.find(aws.logs, group(desired), desired.name())
                .<LiveRead>map(f -> new LiveRead.Present(MetricFilters.observed(desired.address(), f,
                        groupTags(group(desired)))))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        put(desired);
        return reread(desired);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        // A filter has no tags: a tag-only change (its group's) needs no call. Otherwise the old
        // filter is deleted before the new one is put (moto appends a second filter of the same
        // name where AWS replaces it).
        if (changes.stream().anyMatch(c -> !c.path().startsWith("tags."))) {
            delete(live, context);
            put(desired);
        }
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        try {
            aws.logs.deleteMetricFilter(r -> r
                    .logGroupName(String.valueOf(live.attributes().get(MetricFilter.LOG_GROUP)))
                    .filterName(live.id()));
        } catch (ResourceNotFoundException e) {
            // Already gone, or its group is.
        }
    }

    private void put(Resource desired) {
        var a = desired.attributes();
        aws.logs.putMetricFilter(r -> r
                .logGroupName(group(desired))
                .filterName(desired.name())
                .filterPattern(String.valueOf(a.get(MetricFilter.PATTERN)))
                .metricTransformations(MetricTransformation.builder()
                        .metricNamespace(String.valueOf(a.get(MetricFilter.METRIC_NAMESPACE)))
                        .metricName(String.valueOf(a.get(MetricFilter.METRIC_NAME)))
                        .metricValue("1")
                        .build()));
    }

    private ObservedResource reread(Resource desired) {
        var f = MetricFilters.find(aws.logs, group(desired), desired.name()).orElseThrow(() ->
                new IllegalStateException(desired.address() + ": metric filter " + desired.name()
                        + " is not readable after being written"));
        return MetricFilters.observed(desired.address(), f, groupTags(group(desired)));
    }

    private java.util.Map<String, String> groupTags(String group) {
        return LogGroups.find(aws.logs, group)
                .map(g -> LogGroups.tags(aws.logs, LogGroups.arn(g)))
                .orElse(java.util.Map.of());
    }

    private static String group(Resource desired) {
        return String.valueOf(desired.attributes().get(MetricFilter.LOG_GROUP));
    }
}
