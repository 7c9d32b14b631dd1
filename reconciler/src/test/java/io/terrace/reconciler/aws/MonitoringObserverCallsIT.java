package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.monitoring.CloudWatchAlarms;
import io.terrace.reconciler.aws.monitoring.CloudWatchObserver;
import io.terrace.reconciler.aws.monitoring.SnsObserver;
import io.terrace.reconciler.aws.kms.KmsObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Alarms;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The AWS calls the monitoring observers make for one observe of 100 environments, each with
 * its topic (two subscribers), its alert key and every alarm, next to alarms, topics and keys of
 * other owners.
 */
@NeedsMoto
class MonitoringObserverCallsIT {

    private static final int ENVIRONMENTS = 100;

    private AwsClients aws;
    private final List<String> envs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            String env = String.format("client%03d-production", i);
            envs.add(env);
            List<software.amazon.awssdk.services.sns.model.Tag> topicTags = List.of(
                    software.amazon.awssdk.services.sns.model.Tag.builder().key(ObservedResource.MANAGED_BY).value("terrace").build(),
                    software.amazon.awssdk.services.sns.model.Tag.builder().key(ObservedResource.ENVIRONMENT).value(env).build());
            String arn = aws.sns.createTopic(r -> r.name(ResourceNames.alertTopic(env)).tags(topicTags)).topicArn();
            aws.sns.subscribe(r -> r.topicArn(arn).protocol("email").endpoint("ops@" + env + ".example"));
            aws.sns.subscribe(r -> r.topicArn(arn).protocol("https").endpoint("https://hooks.example.com/" + env));
            String keyId = aws.kms.createKey(r -> r.tags(
                    software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(ObservedResource.MANAGED_BY).tagValue("terrace").build(),
                    software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(ObservedResource.ENVIRONMENT).tagValue(env).build()))
                    .keyMetadata().keyId();
            aws.kms.createAlias(r -> r.aliasName(ResourceNames.alertKeyAlias(env)).targetKeyId(keyId));
            for (String key : Alarms.keys()) {
                aws.cloudWatch.putMetricAlarm(r -> r.alarmName(ResourceNames.alarm(env, key)).namespace("AWS/ECS")
                        .metricName("CPUUtilization").statistic(Statistic.AVERAGE).period(60).evaluationPeriods(5)
                        .threshold(80.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .alarmActions(arn).okActions(arn)
                        .tags(CloudWatchAlarms.toSdk(Map.of(ObservedResource.MANAGED_BY, "terrace",
                                ObservedResource.ENVIRONMENT, env))));
            }
        }
        aws.sns.createTopic(r -> r.name("billing-alerts"));
        String billingKey = aws.kms.createKey(r -> r.description("billing")).keyMetadata().keyId();
        aws.kms.createAlias(r -> r.aliasName("alias/billing").targetKeyId(billingKey));
        aws.cloudWatch.putMetricAlarm(r -> r.alarmName("billing-high").namespace("AWS/Billing")
                .metricName("EstimatedCharges").statistic(Statistic.MAXIMUM).period(21600).evaluationPeriods(1)
                .threshold(1000.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void observingOneHundredEnvironmentsPagesTheAlarmsAndTopics() {
        aws.counter().reset();
        List<ObservedResource> alarms = new CloudWatchObserver(aws).observe(envs);
        Map<String, Long> cw = aws.counter().snapshot();
        aws.counter().reset();
        List<ObservedResource> topics = new SnsObserver(aws).observe(envs);
        Map<String, Long> sns = aws.counter().snapshot();
        aws.counter().reset();
        List<ObservedResource> keys = new KmsObserver(aws).observe(envs);
        Map<String, Long> kms = aws.counter().snapshot();

        assertEquals(ENVIRONMENTS * Alarms.keys().size(), alarms.size());
        assertEquals(ENVIRONMENTS, topics.size());
        assertTrue(alarms.stream().allMatch(ObservedResource::isManagedByTerrace));
        assertTrue(topics.stream().allMatch(ObservedResource::isManagedByTerrace));
        System.out.printf("terrace: cloudwatch %s for %d environments%n", cw, ENVIRONMENTS);
        System.out.printf("terrace: sns %s for %d environments%n", sns, ENVIRONMENTS);
        long describe = cw.getOrDefault("CloudWatch:DescribeAlarms", 0L);
        int pagesOnAws = (ENVIRONMENTS * Alarms.keys().size() + 99) / 100;
        // By name, 100 a call: AWS's pages, and no answer of more than 100 alarms even from an
        // emulator that ignores MaxRecords (moto answered the prefix terrace- with every alarm).
        assertEquals(pagesOnAws, describe, "DescribeAlarms calls of 100 names: " + describe);
        long sweepPages = cw.getOrDefault("ResourceGroupsTaggingApi:GetResources", 0L);
        assertTrue(sweepPages <= pagesOnAws, "tagging sweep pages of 100 alarms: " + sweepPages);
        assertEquals(0L, cw.getOrDefault("CloudWatch:ListTagsForResource", 0L), "no per-alarm tag reads: " + cw);
        System.out.printf("terrace: alarms %d calls for %d environments here; on AWS %d DescribeAlarms pages of 100"
                + " (= %.2f per environment) and about %d tagging pages (Terrace's 5 to 7 tags an alarm, 500 tags a"
                + " page) = %.2f per environment in all%n", describe + sweepPages, ENVIRONMENTS, pagesOnAws,
                (double) pagesOnAws / ENVIRONMENTS, (ENVIRONMENTS * Alarms.keys().size() * 6 + 499) / 500,
                (pagesOnAws + (ENVIRONMENTS * Alarms.keys().size() * 6 + 499) / 500.0) / ENVIRONMENTS);
        assertEquals(0L, sns.getOrDefault("Sns:ListTagsForResource", 0L), "no per-topic tag reads: " + sns);
        assertTrue(sns.get("Sns:ListTopics") <= (ENVIRONMENTS + 1) / 100 + 1, "topic pages of 100: " + sns);
        // The key and policy of a topic have no batch read: one GetTopicAttributes per environment.
        assertEquals((long) ENVIRONMENTS, sns.get("Sns:GetTopicAttributes"));
        assertTrue(sns.get("Sns:ListSubscriptions") <= 2 * ENVIRONMENTS / 100 + 1, "subscription pages: " + sns);

        // Alert keys: the aliases in pages of 100 (100 environments' and the AWS-managed ones), their
        // tags in the tagging sweep's pages of 100, then three detail reads per key, which KMS has no
        // batch form of (kept between drift sweeps by the daemon: DetailReadsIT).
        System.out.printf("terrace: kms %s for %d environments%n", kms, ENVIRONMENTS);
        assertEquals(ENVIRONMENTS, keys.size());
        assertTrue(keys.stream().allMatch(ObservedResource::isManagedByTerrace));
        assertTrue(kms.get("Kms:ListAliases") <= (ENVIRONMENTS + 1 + 14) / 100 + 1, "alias pages of 100: " + kms);
        for (String call : List.of("Kms:DescribeKey", "Kms:GetKeyPolicy", "Kms:GetKeyRotationStatus")) {
            assertEquals((long) ENVIRONMENTS, kms.get(call), call + ": " + kms);
        }
        assertEquals(0L, kms.getOrDefault("Kms:ListResourceTags", 0L), "tags from the sweep: " + kms);
        long tagPages = kms.get("ResourceGroupsTaggingApi:GetResources");
        assertTrue(tagPages <= ENVIRONMENTS / 100 + 1, "tagging pages of 100 keys: " + kms);
        assertEquals(3 * ENVIRONMENTS + kms.get("Kms:ListAliases") + tagPages,
                kms.values().stream().mapToLong(Long::longValue).sum(), "nothing else: " + kms);
    }
}
