package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.ecs.EcsResources;
import io.terrace.planner.AttributeKeys.MetricFilter;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The error-counting metric filters ({@link io.terrace.planner.MetricFilters}) as Terrace reads them. */
public final class MetricFilters {

    private MetricFilters() {}

    /** "group|filter name" to address, for the filters of {@code env}. */
    static Map<String, String> addresses(String env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Component c : EcsResources.SERVICE_COMPONENTS) {
            for (var f : io.terrace.planner.MetricFilters.of(c)) {
                out.put(key(ResourceNames.logGroup(env, c), f.metric()), Addresses.of(env, c, f.resource()));
            }
        }
        return out;
    }

    static String key(String group, String filterName) {
        return group + "|" + filterName;
    }

    /** A filter as observed, with the tags of its group (a filter has none of its own). */
    static ObservedResource observed(String address,
            software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter f, Map<String, String> groupTags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(MetricFilter.LOG_GROUP, f.logGroupName());
        attributes.put(MetricFilter.PATTERN, f.filterPattern());
        MetricTransformation t = f.metricTransformations().isEmpty() ? null : f.metricTransformations().get(0);
        attributes.put(MetricFilter.METRIC_NAMESPACE, t == null ? null : t.metricNamespace());
        attributes.put(MetricFilter.METRIC_NAME, t == null ? null : t.metricName());
        return new ObservedResource(address, ResourceType.LOG_METRIC_FILTER, f.filterName(), attributes,
                new LinkedHashMap<>(groupTags));
    }

    /** The filter of exactly this name on {@code group}; none when the group is missing. */
    static Optional<software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter> find(
            CloudWatchLogsClient logs, String group, String name) {
        try {
            return logs.describeMetricFilters(r -> r.logGroupName(group).filterNamePrefix(name))
                    .metricFilters().stream()
                    .filter(f -> f.filterName().equals(name) && group.equals(f.logGroupName()))
                    .findFirst();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }
}
