package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.rds.RdsEventSubscriptionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The AWS calls the RDS event subscription observer makes for one observe of 100 environments,
 * each with its two subscriptions, next to another owner's subscription.
 */
@NeedsMoto
class RdsEventObserverCallsIT {

    private static final int ENVIRONMENTS = 100;

    private AwsClients aws;
    private final List<String> envs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        String topic = aws.sns.createTopic(r -> r.name("alerts")).topicArn();
        for (int i = 0; i < ENVIRONMENTS; i++) {
            String env = String.format("client%03d-production", i);
            envs.add(env);
            for (String kind : ResourceNames.RDS_EVENT_KINDS) {
                aws.rds.createEventSubscription(r -> r.subscriptionName(ResourceNames.rdsEventSubscription(env, kind))
                        .snsTopicArn(topic).sourceType(kind.equals("cluster") ? "db-cluster" : "db-instance")
                        .sourceIds(kind.equals("cluster") ? ResourceNames.dbCluster(env) : ResourceNames.dbWriter(env))
                        .enabled(true)
                        .tags(Tag.builder().key(ObservedResource.MANAGED_BY).value("terrace").build(),
                                Tag.builder().key(ObservedResource.ENVIRONMENT).value(env).build()));
            }
        }
        aws.rds.createEventSubscription(r -> r.subscriptionName("billing-db-events").snsTopicArn(topic)
                .sourceType("db-instance").enabled(true));
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void observingOneHundredEnvironmentsPagesTheSubscriptions() {
        aws.counter().reset();
        List<ObservedResource> found = new RdsEventSubscriptionObserver(aws).observe(envs);
        Map<String, Long> calls = aws.counter().snapshot();
        System.out.printf("terrace: rds event subscriptions %s for %d environments%n", calls, ENVIRONMENTS);

        assertEquals(2 * ENVIRONMENTS, found.size(), "the two of each environment, not the other owner's");
        assertTrue(found.stream().allMatch(o -> o.type() == ResourceType.RDS_EVENT_SUBSCRIPTION && o.isManagedByTerrace()));
        assertEquals("client007-production/monitoring/instance-events", found.stream()
                .filter(o -> o.id().equals(ResourceNames.rdsEventSubscription("client007-production", "instance")))
                .findFirst().orElseThrow().address());
        long pages = calls.get("Rds:DescribeEventSubscriptions");
        assertTrue(pages <= (2 * ENVIRONMENTS + 1) / 100 + 1, "pages of 100: " + calls);
        assertEquals(1L, calls.get("ResourceGroupsTaggingApi:GetResources"), "one tag sweep: " + calls);
        // moto's tagging API does not index event subscriptions: each falls back to its own tag read
        // (none on AWS, where the sweep returns them).
        long perSubscription = calls.getOrDefault("Rds:ListTagsForResource", 0L);
        assertTrue(perSubscription == 0 || perSubscription == 2L * ENVIRONMENTS, "tag reads: " + calls);
        assertEquals(pages + 1 + perSubscription, calls.values().stream().mapToLong(Long::longValue).sum(),
                "nothing else: " + calls);
    }
}
