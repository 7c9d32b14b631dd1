package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.Threshold;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The alert topic and alarms an environment compiles to. */
class AlarmsTest {

    private static Map<String, Resource> monitoring(EnvironmentSpec spec) {
        return DesiredState.compile(spec, "c0ffee1").stream()
                .filter(r -> r.component() == Component.MONITORING)
                .collect(Collectors.toMap(Resource::address, r -> r));
    }

    private static EnvironmentSpec withMonitoring(EnvironmentSpec s, List<String> alerts, Map<Threshold, Double> set) {
        Map<Threshold, Double> thresholds = EnvironmentSpec.Monitoring.tierDefaults(s.tier());
        thresholds.putAll(set);
        return s.withMonitoring(new EnvironmentSpec.Monitoring(alerts, thresholds));
    }

    @Test
    void theClusterAndWriterEventsGoToTheTopicOnceTheyExist() {
        Map<String, Resource> m = monitoring(SpecFixture.highlyAvailable("acme").build());
        Resource cluster = m.get("acme/monitoring/cluster-events");
        assertEquals(ResourceType.RDS_EVENT_SUBSCRIPTION, cluster.type());
        assertEquals("terrace-acme-cluster-events", cluster.name());
        assertEquals("db-cluster", cluster.attributes().get(AttributeKeys.EventSubscription.SOURCE_TYPE));
        assertEquals(List.of("terrace-acme"), cluster.attributes().get(AttributeKeys.EventSubscription.SOURCE_IDS));
        assertEquals("terrace-acme-alerts", cluster.attributes().get(AttributeKeys.EventSubscription.TOPIC));
        assertTrue(cluster.dependsOn().containsAll(Set.of("acme/monitoring/topic", "acme/database/cluster")),
                cluster.dependsOn().toString());
        Resource instance = m.get("acme/monitoring/instance-events");
        assertEquals("db-instance", instance.attributes().get(AttributeKeys.EventSubscription.SOURCE_TYPE));
        assertEquals(List.of("terrace-acme-writer"), instance.attributes().get(AttributeKeys.EventSubscription.SOURCE_IDS));
        assertTrue(instance.dependsOn().containsAll(Set.of("acme/monitoring/topic", "acme/database/writer")),
                instance.dependsOn().toString());
        assertEquals(List.of(), instance.attributes().get(AttributeKeys.EventSubscription.CATEGORIES),
                "every category: none listed");
        assertEquals(true, m.get("acme/monitoring/topic").attributes().get(AttributeKeys.Topic.RDS_EVENTS_PUBLISH));
    }

    @Test
    void everyAlarmIsNamedForItsEnvironmentTaggedAndPublishesToItsTopic() {
        Map<String, Resource> m = monitoring(SpecFixture.highlyAvailable("acme").build());
        assertEquals(Alarms.keys().size() + 4, m.size(),
                "a key, a topic, two event subscriptions and every alarm: " + m.keySet());
        for (Resource r : m.values()) {
            assertEquals("acme", r.tags().get(ObservedResource.ENVIRONMENT));
            if (r.type() == ResourceType.CLOUDWATCH_ALARM) {
                assertTrue(r.name().startsWith("terrace-acme-"), r.name());
                assertEquals("terrace-acme-alerts", r.attributes().get(AttributeKeys.Alarm.TOPIC));
                assertEquals(Set.of("acme/monitoring/topic", "acme/network/stack"), r.dependsOn(),
                        "alarms wait for the topic and the load balancer only, so they are created in one wave");
            }
        }
    }

    @Test
    void loggedErrorsAlarmOnTheMetricFiltersCountsOverFiveMinutes() {
        EnvironmentSpec business = SpecFixture.highlyAvailable("acme").build();
        Map<String, Resource> m = monitoring(business);
        Resource php = m.get("acme/monitoring/php-fatal-errors");
        assertEquals("Terrace/acme PhpFatalErrors Sum", php.attributes().get(AttributeKeys.Alarm.METRIC));
        assertEquals("", php.attributes().get(AttributeKeys.Alarm.DIMENSIONS));
        assertEquals(300, php.attributes().get(AttributeKeys.Alarm.PERIOD));
        assertEquals(1, php.attributes().get(AttributeKeys.Alarm.EVALUATION_PERIODS));
        assertEquals("notBreaching", php.attributes().get(AttributeKeys.Alarm.TREAT_MISSING_DATA));
        assertEquals(0.0, php.attributes().get(AttributeKeys.Alarm.THRESHOLD), "production: any fatal error");
        Resource db = m.get("acme/monitoring/database-errors");
        assertEquals("Terrace/acme DatabaseErrors Sum", db.attributes().get(AttributeKeys.Alarm.METRIC));
        assertEquals(Threshold.DATABASE_ERRORS.defaultFor(Tier.BUSINESS), db.attributes().get(AttributeKeys.Alarm.THRESHOLD));
        Map<String, Resource> tuned = monitoring(withMonitoring(business, List.of(),
                Map.of(Threshold.PHP_FATAL_ERRORS, 3.0, Threshold.DATABASE_ERRORS, 7.0)));
        assertEquals(3.0, tuned.get("acme/monitoring/php-fatal-errors").attributes().get(AttributeKeys.Alarm.THRESHOLD));
        assertEquals(7.0, tuned.get("acme/monitoring/database-errors").attributes().get(AttributeKeys.Alarm.THRESHOLD));
    }

    @Test
    void thresholdsAreTheTiersDefaultsUnlessTheSpecSetsThem() {
        EnvironmentSpec business = SpecFixture.highlyAvailable("acme").build();
        assertEquals(80.0, monitoring(business).get("acme/monitoring/web-cpu").attributes().get(AttributeKeys.Alarm.THRESHOLD));
        assertEquals(Threshold.WEB_CPU_PERCENT.defaultFor(Tier.BUSINESS), 80.0);
        EnvironmentSpec tuned = withMonitoring(business, List.of(), Map.of(Threshold.WEB_CPU_PERCENT, 65.0,
                Threshold.DATABASE_FREE_STORAGE_GIB, 3.0));
        Map<String, Resource> m = monitoring(tuned);
        assertEquals(65.0, m.get("acme/monitoring/web-cpu").attributes().get(AttributeKeys.Alarm.THRESHOLD));
        assertEquals(3.0 * 1024 * 1024 * 1024,
                m.get("acme/monitoring/database-free-local-storage").attributes().get(AttributeKeys.Alarm.THRESHOLD),
                "free storage is compared in bytes");
    }

    @Test
    void replicaLagOnlyWithReadersAndYellowOnlyWithReplicatedSearch() {
        Map<String, Resource> single = monitoring(SpecFixture.env("blog").with(f -> {
            f.readers = new EnvironmentSpec.Range(0, 0);
            f.searchNodes = 1;
        }).build());
        assertFalse(single.containsKey("blog/monitoring/database-replica-lag"));
        assertFalse(single.containsKey("blog/monitoring/search-cluster-yellow"));
        assertTrue(single.containsKey("blog/monitoring/search-cluster-red"));
        Map<String, Resource> ha = monitoring(SpecFixture.highlyAvailable("acme").build());
        assertTrue(ha.containsKey("acme/monitoring/database-replica-lag"));
        assertTrue(ha.containsKey("acme/monitoring/search-cluster-yellow"));
    }

    @Test
    void alertsBecomeSortedSubscriptionsOfTheEncryptedTopic() {
        EnvironmentSpec spec = withMonitoring(SpecFixture.env("blog").build(),
                List.of("https://hooks.example.com/t", "ops@blog.example"), Map.of());
        Resource topic = monitoring(spec).get("blog/monitoring/topic");
        assertEquals("terrace-blog-alerts", topic.name());
        assertEquals(List.of("email:ops@blog.example", "https:https://hooks.example.com/t"),
                topic.attributes().get(AttributeKeys.Topic.SUBSCRIPTIONS));
        assertEquals("alias/terrace/blog/alerts", topic.attributes().get(AttributeKeys.Topic.ENCRYPTION_KEY));
        assertTrue(topic.dependsOn().contains("blog/monitoring/alerts-key"), "the topic waits for its key");
        Resource key = monitoring(spec).get("blog/monitoring/alerts-key");
        assertEquals(ResourceType.KMS_KEY, key.type());
        assertEquals("alias/terrace/blog/alerts", key.name());
        assertEquals(true, key.attributes().get(AttributeKeys.KmsKey.ROTATION));
        String policy = (String) key.attributes().get(AttributeKeys.KmsKey.POLICY);
        assertTrue(policy.contains("\"AWS\":\"arn:aws:iam::${aws:PrincipalAccount}:root\""), policy);
        assertTrue(policy.contains("\"Service\":[\"cloudwatch.amazonaws.com\",\"events.rds.amazonaws.com\",\"sns.amazonaws.com\"]"), policy);
        assertTrue(policy.contains("\"aws:SourceAccount\":\"${aws:PrincipalAccount}\""), policy);
        assertTrue(policy.contains("\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey*\"]"), policy);
    }

    @Test
    void dimensionsNameTheEnvironmentsResources() {
        Map<String, Resource> m = monitoring(SpecFixture.highlyAvailable("acme").build());
        assertEquals("ClusterName=terrace-acme,ServiceName=web",
                m.get("acme/monitoring/web-cpu").attributes().get(AttributeKeys.Alarm.DIMENSIONS));
        assertEquals("LoadBalancer=*,TargetGroup=*",
                m.get("acme/monitoring/web-unhealthy-hosts").attributes().get(AttributeKeys.Alarm.DIMENSIONS));
        assertEquals("CacheClusterId=terrace-acme-001",
                m.get("acme/monitoring/cache-evictions").attributes().get(AttributeKeys.Alarm.DIMENSIONS));
        assertEquals("ClientId=*,DomainName=terrace-acme",
                m.get("acme/monitoring/search-free-storage").attributes().get(AttributeKeys.Alarm.DIMENSIONS));
        assertEquals("Environment=acme",
                m.get("acme/monitoring/cavalcade-backlog").attributes().get(AttributeKeys.Alarm.DIMENSIONS));
    }
}
