package io.terrace.reconciler.aws.monitoring;

import com.google.common.collect.Lists;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.Address;
import io.terrace.planner.Alarms;
import io.terrace.planner.AttributeKeys.Alarm;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * A CloudWatch alarm as Terrace writes it (from an {@link Alarms.Definition}) and reads it back
 * into the same attribute forms the desired state renders: dimension values looked up at apply
 * (the load balancer, target group, account) are read back as {@link Alarms#LOOKED_UP}.
 */
public final class CloudWatchAlarms {

    private CloudWatchAlarms() {}

    public static String address(String env, String key) {
        return Address.of(env, Component.MONITORING, key);
    }

    /** Alarm names in one DescribeAlarms, and alarms in one page of its answer: the most it takes. */
    static final int PAGE = 100;

    /**
     * The metric alarms of those names that exist, in DescribeAlarms of {@value #PAGE} names (no
     * answer holds more than a page, even from an emulator that ignores MaxRecords).
     */
    static List<MetricAlarm> byName(CloudWatchClient cw, List<String> names) {
        List<MetricAlarm> out = new ArrayList<>();
        for (List<String> batch : Lists.partition(names, PAGE)) {
            cw.describeAlarmsPaginator(r -> r.alarmNames(batch).alarmTypes(AlarmType.METRIC_ALARM).maxRecords(PAGE))
                    .metricAlarms().forEach(out::add);
        }
        return out;
    }

    /** The alarm by name, if it exists. */
    static Optional<MetricAlarm> describe(CloudWatchClient cw, String name) {
        return cw.describeAlarms(r -> r.alarmNames(name)).metricAlarms().stream().findFirst();
    }

    static Map<String, String> tags(CloudWatchClient cw, String arn) {
        return TerraceTags.fromSdk(cw.listTagsForResource(r -> r.resourceARN(arn)).tags(), Tag::key, Tag::value);
    }

    public static List<Tag> toSdk(Map<String, String> tags) {
        return TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }

    /** The alarm as observed: the managed attributes, plus {@code arn} and its {@code state}. */
    public static ObservedResource observed(String env, String key, MetricAlarm a, Map<String, String> tags) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        List<Dimension> dimensions = a.dimensions();
        Integer period = a.period();
        if (a.hasMetrics() && !a.metrics().isEmpty()) {
            String expression = "";
            String namespace = "";
            List<Alarms.Metric> metrics = new ArrayList<>();
            for (MetricDataQuery q : a.metrics()) {
                if (q.expression() != null) {
                    expression = q.expression();
                } else if (q.metricStat() != null) {
                    namespace = q.metricStat().metric().namespace();
                    metrics.add(new Alarms.Metric(q.id(), q.metricStat().metric().metricName(), q.metricStat().stat()));
                    dimensions = q.metricStat().metric().dimensions();
                    period = q.metricStat().period();
                }
            }
            attrs.put(Alarm.METRIC, Alarms.Definition.metricText(namespace, metrics, expression));
        } else {
            String stat = a.extendedStatistic() != null ? a.extendedStatistic() : a.statisticAsString();
            attrs.put(Alarm.METRIC, a.namespace() + " " + a.metricName() + " " + stat);
        }
        Map<String, String> dims = new TreeMap<>();
        dimensions.forEach(d -> dims.put(d.name(),
                Alarms.LOOKED_UP_DIMENSIONS.contains(d.name()) ? Alarms.LOOKED_UP : d.value()));
        attrs.put(Alarm.DIMENSIONS, Alarms.Definition.dimensionText(dims));
        attrs.put(Alarm.COMPARISON, a.comparisonOperatorAsString());
        attrs.put(Alarm.THRESHOLD, a.threshold());
        attrs.put(Alarm.PERIOD, period);
        attrs.put(Alarm.EVALUATION_PERIODS, a.evaluationPeriods());
        attrs.put(Alarm.DATAPOINTS_TO_ALARM, a.datapointsToAlarm() != null ? a.datapointsToAlarm() : a.evaluationPeriods());
        attrs.put(Alarm.TREAT_MISSING_DATA, a.treatMissingData() != null ? a.treatMissingData() : "missing");
        attrs.put(Alarm.TOPIC, topic(a));
        attrs.put("arn", a.alarmArn());
        attrs.put("state", a.stateValueAsString());
        return new ObservedResource(address(env, key), ResourceType.CLOUDWATCH_ALARM, a.alarmName(), attrs, tags);
    }

    /**
     * The topic name when the alarm and OK actions are that one topic (what Terrace sets), else
     * every action ARN, sorted: a difference the plan shows.
     */
    private static String topic(MetricAlarm a) {
        TreeSet<String> alarm = new TreeSet<>(a.alarmActions());
        TreeSet<String> ok = new TreeSet<>(a.okActions());
        if (alarm.size() == 1 && alarm.equals(ok) && alarm.first().startsWith("arn:") && alarm.first().contains(":sns:")) {
            return SnsTopics.name(alarm.first());
        }
        TreeSet<String> all = new TreeSet<>(alarm);
        all.addAll(ok);
        return String.join(",", all);
    }

    /** The ARN of the alarm named {@code name} (or a pattern of names) in the topic's account and region. */
    static String arn(String topicArn, String name) {
        String[] topic = topicArn.split(":");
        return "arn:" + topic[1] + ":cloudwatch:" + topic[3] + ":" + topic[4] + ":alarm:" + name;
    }

    /**
     * The alarm a PutMetricAlarm request makes, as DescribeAlarms would show it right after: what
     * the request set, the ARN (the alarm's region and account are its topic's) and a new alarm's
     * state, {@code INSUFFICIENT_DATA}. AWS decides nothing else in an alarm, so a create need not
     * read it back.
     */
    static MetricAlarm written(PutMetricAlarmRequest r) {
        return MetricAlarm.builder()
                .alarmName(r.alarmName())
                .alarmArn(arn(r.alarmActions().get(0), r.alarmName()))
                .alarmDescription(r.alarmDescription())
                .actionsEnabled(r.actionsEnabled())
                .alarmActions(r.alarmActions())
                .okActions(r.okActions())
                .comparisonOperator(r.comparisonOperator())
                .threshold(r.threshold())
                .evaluationPeriods(r.evaluationPeriods())
                .datapointsToAlarm(r.datapointsToAlarm())
                .treatMissingData(r.treatMissingData())
                .namespace(r.namespace())
                .metricName(r.metricName())
                .dimensions(r.dimensions())
                .period(r.period())
                .statistic(r.statistic())
                .extendedStatistic(r.extendedStatistic())
                .metrics(r.metrics())
                .stateValue(StateValue.INSUFFICIENT_DATA)
                .build();
    }

    /**
     * The PutMetricAlarm request of a definition: {@code dimensions} are the definition's with the
     * looked-up values filled in; both alarm and OK actions publish to {@code topicArn}.
     */
    public static PutMetricAlarmRequest.Builder request(String name, Alarms.Definition d, Map<String, String> dimensions,
            double threshold, String topicArn) {
        List<Dimension> dims = new TreeMap<>(dimensions).entrySet().stream()
                .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList();
        PutMetricAlarmRequest.Builder r = PutMetricAlarmRequest.builder()
                .alarmName(name)
                .alarmDescription(d.description())
                .actionsEnabled(true)
                .alarmActions(topicArn)
                .okActions(topicArn)
                .comparisonOperator(d.comparison())
                .threshold(threshold)
                .evaluationPeriods(d.evaluationPeriods())
                .datapointsToAlarm(d.datapointsToAlarm())
                .treatMissingData(Alarms.TREAT_MISSING_DATA);
        if (d.expression().isEmpty()) {
            Alarms.Metric m = d.metrics().get(0);
            r.namespace(d.namespace()).metricName(m.name()).dimensions(dims).period(d.period());
            if (m.stat().startsWith("p")) {
                r.extendedStatistic(m.stat());
            } else {
                r.statistic(m.stat());
            }
        } else {
            List<MetricDataQuery> queries = new ArrayList<>();
            queries.add(MetricDataQuery.builder().id("rate").expression(d.expression()).label(d.key())
                    .returnData(true).build());
            for (Alarms.Metric m : d.metrics()) {
                queries.add(MetricDataQuery.builder().id(m.id()).returnData(false)
                        .metricStat(s -> s.period(d.period()).stat(m.stat())
                                .metric(x -> x.namespace(d.namespace()).metricName(m.name()).dimensions(dims)))
                        .build());
            }
            r.metrics(queries);
        }
        return r;
    }
}
