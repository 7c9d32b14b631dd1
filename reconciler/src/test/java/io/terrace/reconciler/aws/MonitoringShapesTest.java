package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.monitoring.CloudWatchAlarmDriver;
import io.terrace.reconciler.aws.monitoring.CloudWatchAlarms;
import io.terrace.reconciler.aws.monitoring.SnsTopics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Alarms;
import io.terrace.planner.AttributeKeys.Alarm;
import io.terrace.planner.ObservedResource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

/** What Terrace writes to SNS and CloudWatch reads back as the attributes the desired state renders. */
class MonitoringShapesTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:terrace-acme-alerts";

    @Test
    void theTopicPolicyLetsOnlyTheEnvironmentsAlarmsPublish() {
        String policy = SnsTopics.policy(TOPIC, "acme");
        assertTrue(SnsTopics.letsCloudWatchPublish(policy), policy);
        assertTrue(policy.contains("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:terrace-acme-*"), policy);
        assertFalse(SnsTopics.letsCloudWatchPublish("{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sns:Publish\"}]}"), "someone else's statement");
        assertFalse(SnsTopics.letsCloudWatchPublish(""));
        assertFalse(SnsTopics.letsCloudWatchPublish("not json"));
    }

    @Test
    void loadBalancerAndTargetGroupDimensionsAreTheirArnSuffixes() {
        assertEquals("app/terrace-acme-alb/50dc6c495c0c9188", CloudWatchAlarmDriver.arnSuffix(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/terrace-acme-alb/50dc6c495c0c9188",
                ":loadbalancer/"));
        assertEquals("targetgroup/terrace-web/73e2d6bc24d8a067", CloudWatchAlarmDriver.arnSuffix(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/terrace-web/73e2d6bc24d8a067", ":"));
    }

    /** Every alarm written as PutMetricAlarm and read back as DescribeAlarms would answer equals its desired attributes. */
    @Test
    void everyAlarmReadsBackAsItsDesiredAttributes() {
        for (String key : Alarms.keys()) {
            Alarms.Definition d = Alarms.definition("acme", key).orElseThrow();
            Map<String, String> dims = new java.util.HashMap<>(d.dimensions());
            dims.replaceAll((k, v) -> Alarms.LOOKED_UP.equals(v) ? "app/x/1" : v);
            PutMetricAlarmRequest put = CloudWatchAlarms.request("terrace-acme-" + key, d, dims, 42.0, TOPIC).build();
            MetricAlarm live = MetricAlarm.builder().alarmName(put.alarmName()).alarmArn("arn:x")
                    .namespace(put.namespace()).metricName(put.metricName()).statistic(put.statisticAsString())
                    .extendedStatistic(put.extendedStatistic()).dimensions(put.dimensions()).period(put.period())
                    .metrics(put.metrics()).comparisonOperator(put.comparisonOperatorAsString())
                    .threshold(put.threshold()).evaluationPeriods(put.evaluationPeriods())
                    .datapointsToAlarm(put.datapointsToAlarm()).treatMissingData(put.treatMissingData())
                    .alarmActions(put.alarmActions()).okActions(put.okActions()).stateValue("OK").build();
            ObservedResource o = CloudWatchAlarms.observed("acme", key, live, Map.of());
            assertEquals(d.metricText(), o.attributes().get(Alarm.METRIC), key);
            assertEquals(d.dimensionText(), o.attributes().get(Alarm.DIMENSIONS), key);
            assertEquals(d.comparison(), o.attributes().get(Alarm.COMPARISON), key);
            assertEquals(d.period(), o.attributes().get(Alarm.PERIOD), key);
            assertEquals(d.evaluationPeriods(), o.attributes().get(Alarm.EVALUATION_PERIODS), key);
            assertEquals(d.datapointsToAlarm(), o.attributes().get(Alarm.DATAPOINTS_TO_ALARM), key);
            assertEquals("terrace-acme-alerts", o.attributes().get(Alarm.TOPIC), key);
            assertEquals("acme/monitoring/" + key, o.address());
        }
    }

    @Test
    void actionsOnAnotherTargetShowAsTheirArns() {
        MetricAlarm live = MetricAlarm.builder().alarmName("terrace-acme-web-cpu").alarmArn("arn:x")
                .namespace("AWS/ECS").metricName("CPUUtilization").statistic("Average")
                .alarmActions(TOPIC, "arn:aws:sns:eu-west-1:123456789012:other").okActions(TOPIC).build();
        assertEquals("arn:aws:sns:eu-west-1:123456789012:other," + TOPIC,
                CloudWatchAlarms.observed("acme", "web-cpu", live, Map.of()).attributes().get(Alarm.TOPIC));
    }
}
