package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.monitoring.CloudWatchAlarmDriver;
import io.terrace.reconciler.aws.monitoring.SnsTopics;
import io.terrace.reconciler.aws.network.NetworkStackDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Action;
import io.terrace.planner.Alarms;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.DesiredState;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.Threshold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.rds.model.EventSubscription;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * The monitoring component against moto, through the planner and the executor: every example
 * environment gets its encrypted topic with the spec's subscribers and every alarm with its tier's
 * thresholds, actions on its topic and the real load balancer in its dimensions, read back with
 * separate clients; a changed threshold updates the alarm; an alarm deleted by hand is drift and
 * comes back; the alert key's policy edited by hand is restored; deleting the environment removes
 * them all and schedules the key's deletion.
 */
@NeedsMoto
class MonitoringIT {

    private AwsClients aws;
    /** A second set of clients, as a user would read what Terrace made. */
    private AwsClients reader;

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        reader = Moto.clients();
    }

    @AfterEach
    void tearDown() {
        aws.close();
        reader.close();
    }

    @Test
    void everyExampleEnvironmentGetsItsTopicAndAlarms() throws Exception {
        List<EnvironmentSpec> examples = examples();
        assertTrue(examples.size() >= 5, "the example specs: " + examples.size());
        for (EnvironmentSpec spec : examples) {
            network(spec);
            apply(spec);
        }
        assertEquals(0, aws.counter().calls("Sns:ListTopics"),
                "each topic found by its ARN, not in the account's list: " + aws.counter().snapshot());
        Map<String, String> topics = new HashMap<>();
        reader.sns.listTopicsPaginator(r -> { }).topics().forEach(t -> topics.put(SnsTopics.name(t.topicArn()), t.topicArn()));
        for (EnvironmentSpec spec : examples) {
            String env = spec.name();
            String topicArn = topics.get(ResourceNames.alertTopic(env));
            assertTrue(topicArn != null, env + ": its topic exists");
            Map<String, String> attributes = reader.sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes();
            assertEquals(ResourceNames.alertKeyAlias(env), attributes.get("KmsMasterKeyId"), env);
            assertOwnKey(env);
            assertEquals("logs." + spec.region() + ".amazonaws.com", statement(new ObjectMapper().readTree(
                    reader.kms.getKeyPolicy(r -> r.keyId(reader.kms.describeKey(d -> d.keyId(ResourceNames.alertKeyAlias(env)))
                            .keyMetadata().keyId()).policyName("default")).policy()),
                    "LogGroupsEncrypt").path("Principal").path("Service").asText(), env + ": its region's CloudWatch Logs");
            assertTrue(attributes.get("Policy").contains("cloudwatch.amazonaws.com"), env + ": " + attributes.get("Policy"));
            Set<String> endpoints = reader.sns.listSubscriptionsByTopic(r -> r.topicArn(topicArn)).subscriptions().stream()
                    .map(Subscription::endpoint).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(spec.monitoring().alerts()), endpoints, env + ": subscribers");
            assertEquals("terrace", tagsOf(topicArn).get("terrace:managed-by"));

            List<MetricAlarm> alarms = reader.cloudWatch.describeAlarms(r -> r.alarmNamePrefix("terrace-" + env + "-"))
                    .metricAlarms();
            List<Alarms.Definition> wanted = Alarms.of(spec);
            Set<String> wantedNames = wanted.stream().map(d -> ResourceNames.alarm(env, d.key()))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> liveNames = alarms.stream().map(MetricAlarm::alarmName).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(wantedNames, liveNames, env);
            for (MetricAlarm a : alarms) {
                assertEquals(List.of(topicArn), a.alarmActions(), a.alarmName());
                assertEquals(List.of(topicArn), a.okActions(), a.alarmName());
                Map<String, String> tags = reader.cloudWatch.listTagsForResource(r -> r.resourceARN(a.alarmArn())).tags()
                        .stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
                assertEquals(env, tags.get("terrace:environment"), a.alarmName());
                assertEquals("monitoring", tags.get("terrace:component"), a.alarmName());
            }
            MetricAlarm cpu = alarm(alarms, env, "web-cpu");
            assertEquals(spec.monitoring().threshold(Threshold.WEB_CPU_PERCENT), cpu.threshold(), env);
            assertEquals(Threshold.WEB_CPU_PERCENT.defaultFor(spec.tier()), cpu.threshold(), env + ": the tier's default");
            MetricAlarm unhealthy = alarm(alarms, env, "web-unhealthy-hosts");
            Map<String, String> dims = unhealthy.dimensions().stream().collect(Collectors.toMap(d -> d.name(), d -> d.value()));
            assertTrue(dims.get("LoadBalancer").startsWith("app/"), "the ALB's ARN suffix: " + dims);
            assertTrue(dims.get("TargetGroup").startsWith("targetgroup/"), "the web target group's ARN suffix: " + dims);
            MetricAlarm rate = alarm(alarms, env, "web-5xx-rate");
            assertEquals(3, rate.metrics().size(), "an expression over two metrics");
            MetricAlarm storage = alarm(alarms, env, "search-free-storage");
            assertTrue(storage.dimensions().stream().anyMatch(d -> d.name().equals("ClientId") && d.value().matches("[0-9]{12}")),
                    "OpenSearch metrics are per account: " + storage.dimensions());
            for (Threshold t : List.of(Threshold.PHP_FATAL_ERRORS, Threshold.DATABASE_ERRORS)) {
                MetricAlarm logged = alarm(alarms, env, t == Threshold.PHP_FATAL_ERRORS ? "php-fatal-errors" : "database-errors");
                assertEquals("Terrace/" + env, logged.namespace(), logged.alarmName());
                assertEquals(t == Threshold.PHP_FATAL_ERRORS ? "PhpFatalErrors" : "DatabaseErrors", logged.metricName());
                assertEquals(spec.monitoring().threshold(t), logged.threshold(), logged.alarmName());
                assertEquals("Sum", logged.statisticAsString(), logged.alarmName());
                assertEquals(300, logged.period(), logged.alarmName());
                assertEquals(List.of(), logged.dimensions(), "the filters' metrics have no dimension");
                assertEquals("notBreaching", logged.treatMissingData(), "no error logged is not an alarm");
            }
            assertEquals(spec.database().readers().max() > 0,
                    alarms.stream().anyMatch(a -> a.alarmName().endsWith("-database-replica-lag")), env + ": replica lag iff readers");
            assertEquals(List.of(), monitoringPlan(spec).actions(), env + ": steady after the apply");
        }
    }

    @Test
    void aChangedThresholdUpdatesTheAlarmAndADeletedAlarmComesBack() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("acme-production")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        String name = ResourceNames.alarm(spec.name(), "web-cpu");

        EnvironmentSpec tuned = withThreshold(spec, Threshold.WEB_CPU_PERCENT, 65.0);
        EnvironmentPlan plan = monitoringPlan(tuned);
        assertEquals(List.of(spec.name() + "/monitoring/web-cpu"), plan.actions().stream().map(Change::address).toList());
        assertEquals(Action.UPDATE, plan.actions().get(0).action());
        apply(plan);
        assertEquals(65.0, reader.cloudWatch.describeAlarms(r -> r.alarmNames(name)).metricAlarms().get(0).threshold());

        reader.cloudWatch.deleteAlarms(r -> r.alarmNames(name));
        EnvironmentPlan drift = monitoringPlan(tuned);
        assertEquals(List.of(spec.name() + "/monitoring/web-cpu"), drift.actions().stream().map(Change::address).toList());
        assertEquals(Action.CREATE, drift.actions().get(0).action());
        apply(drift);
        assertEquals(65.0, reader.cloudWatch.describeAlarms(r -> r.alarmNames(name)).metricAlarms().get(0).threshold());
        assertEquals(List.of(), monitoringPlan(tuned).actions());
    }

    /** A create does not read the alarm back: what it returns must be what DescribeAlarms then shows. */
    @Test
    void whatAnAlarmsCreateReturnsIsWhatIsLive() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("acme-production")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        List<Resource> alarms = DesiredState.compile(spec, "rev1").stream()
                .filter(r -> r.type() == ResourceType.CLOUDWATCH_ALARM).toList();
        assertTrue(alarms.size() >= 15, "acme-production's alarms: " + alarms.size());
        CloudWatchAlarmDriver driver = new CloudWatchAlarmDriver(aws);
        reader.cloudWatch.deleteAlarms(r -> r.alarmNames(alarms.stream().map(Resource::name).toList()));
        for (Resource alarm : alarms) {
            aws.counter().reset();
            ObservedResource created = new ManagedDriver(driver).create(alarm, new DataTestContext(aws));
            assertEquals(1L, aws.counter().calls("CloudWatch:DescribeAlarms"), "only the read before the create: "
                    + aws.counter().snapshot());
            ObservedResource live = ((LiveRead.Present) driver.read(alarm, new DataTestContext(aws))).resource();
            Map<String, Object> expected = new HashMap<>(live.attributes());
            Map<String, Object> actual = new HashMap<>(created.attributes());
            assertEquals(expected.remove("state") != null, actual.remove("state") != null, alarm.name());
            assertEquals(expected, actual, alarm.name());
            assertEquals(live.tags(), created.tags(), alarm.name());
            assertEquals(live.id(), created.id());
        }
        assertEquals(List.of(), monitoringPlan(spec).actions(), "steady after the creates");
    }

    @Test
    void aKeyPolicyEditedByHandIsRestoredAndAKeyPendingDeletionIsBroughtBack() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("blog-dev")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        String alias = ResourceNames.alertKeyAlias(spec.name());
        String keyId = reader.kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
        String account = reader.kms.describeKey(r -> r.keyId(alias)).keyMetadata().arn().split(":")[4];
        String narrowed = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        reader.kms.putKeyPolicy(r -> r.keyId(keyId).policyName("default").policy(narrowed));
        reader.kms.disableKeyRotation(r -> r.keyId(keyId));

        EnvironmentPlan drift = monitoringPlan(spec);
        assertEquals(List.of(spec.name() + "/monitoring/alerts-key"), drift.actions().stream().map(Change::address).toList());
        assertEquals(Action.UPDATE, drift.actions().get(0).action());
        apply(drift);
        assertOwnKey(spec.name());
        assertEquals(keyId, reader.kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId(), "the same key, mended");
        assertEquals(List.of(), monitoringPlan(spec).actions());

        // The topic moved back to the AWS-managed key (as before the alert key existed): moved to its own again.
        String topicArn = reader.sns.listTopics().topics().stream().map(t -> t.topicArn())
                .filter(a -> a.endsWith(":" + ResourceNames.alertTopic(spec.name()))).findFirst().orElseThrow();
        reader.sns.setTopicAttributes(r -> r.topicArn(topicArn).attributeName("KmsMasterKeyId").attributeValue("alias/aws/sns"));
        EnvironmentPlan topicKey = monitoringPlan(spec);
        assertEquals(List.of(spec.name() + "/monitoring/topic"), topicKey.actions().stream().map(Change::address).toList());
        apply(topicKey);
        assertEquals(alias, reader.sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes().get("KmsMasterKeyId"));

        // Deletion scheduled by hand while the alias still points at the key: cancelled, the key enabled again.
        reader.kms.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
        EnvironmentPlan pending = monitoringPlan(spec);
        assertEquals(List.of(spec.name() + "/monitoring/alerts-key"), pending.actions().stream().map(Change::address).toList());
        apply(pending);
        assertEquals(KeyState.ENABLED, reader.kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());
        assertOwnKey(spec.name());
        assertEquals(List.of(), monitoringPlan(spec).actions());
    }

    @Test
    void theClusterAndWriterEventsAreSentToTheTopicAndRestoredAfterAChangeByHand() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("acme-production")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        String env = spec.name();
        String topicArn = reader.sns.listTopics().topics().stream().map(t -> t.topicArn())
                .filter(a -> a.endsWith(":" + ResourceNames.alertTopic(env))).findFirst().orElseThrow();
        EventSubscription cluster = subscription(ResourceNames.rdsEventSubscription(env, "cluster"));
        assertEquals(topicArn, cluster.snsTopicArn());
        assertEquals("db-cluster", cluster.sourceType());
        assertEquals(List.of(ResourceNames.dbCluster(env)), cluster.sourceIdsList());
        assertEquals(DesiredState.EVENT_CATEGORIES, cluster.eventCategoriesList().stream().sorted().toList());
        assertTrue(cluster.enabled(), "enabled");
        EventSubscription instance = subscription(ResourceNames.rdsEventSubscription(env, "instance"));
        assertEquals(topicArn, instance.snsTopicArn());
        assertEquals("db-instance", instance.sourceType());
        assertEquals(List.of(ResourceNames.dbWriter(env)), instance.sourceIdsList());
        assertEquals(DesiredState.EVENT_CATEGORIES, instance.eventCategoriesList().stream().sorted().toList());
        Map<String, String> tags = reader.rds.listTagsForResource(r -> r.resourceName(cluster.eventSubscriptionArn()))
                .tagList().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        assertEquals(env, tags.get("terrace:environment"));
        assertEquals("monitoring", tags.get("terrace:component"));
        // The topic lets RDS publish for exactly these two subscriptions.
        JsonNode policy = new ObjectMapper().readTree(
                reader.sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes().get("Policy"));
        JsonNode rds = statement(policy, "TerraceRdsEvents");
        assertEquals("events.rds.amazonaws.com", rds.path("Principal").path("Service").asText(), rds.toString());
        assertEquals("sns:Publish", rds.path("Action").asText());
        Set<String> sources = new TreeSet<>();
        rds.path("Condition").path("ArnEquals").path("aws:SourceArn").forEach(a -> sources.add(a.asText()));
        assertEquals(new TreeSet<>(List.of(cluster.eventSubscriptionArn(), instance.eventSubscriptionArn())), sources);
        assertEquals(List.of(), monitoringPlan(spec).actions(), "steady after the apply");

        // Deleted by hand: drift, created again.
        reader.rds.deleteEventSubscription(r -> r.subscriptionName(cluster.custSubscriptionId()));
        EnvironmentPlan deleted = monitoringPlan(spec);
        assertEquals(List.of(env + "/monitoring/cluster-events"), deleted.actions().stream().map(Change::address).toList());
        assertEquals(Action.CREATE, deleted.actions().get(0).action());
        apply(deleted);
        assertEquals(DesiredState.EVENT_CATEGORIES,
                subscription(cluster.custSubscriptionId()).eventCategoriesList().stream().sorted().toList());

        // Narrowed to one category and disabled by hand (recreated, as moto has no
        // ModifyEventSubscription): updated back to every category, enabled.
        String name = instance.custSubscriptionId();
        reader.rds.deleteEventSubscription(r -> r.subscriptionName(name));
        reader.rds.createEventSubscription(r -> r.subscriptionName(name).snsTopicArn(topicArn).sourceType("db-instance")
                .sourceIds(ResourceNames.dbWriter(env)).eventCategories("failure").enabled(false)
                .tags(tagList(tags)));
        EnvironmentPlan narrowed = monitoringPlan(spec);
        assertEquals(List.of(env + "/monitoring/instance-events"), narrowed.actions().stream().map(Change::address).toList());
        assertEquals(Action.UPDATE, narrowed.actions().get(0).action());
        apply(narrowed);
        EventSubscription restored = subscription(name);
        assertEquals(DesiredState.EVENT_CATEGORIES, restored.eventCategoriesList().stream().sorted().toList());
        assertTrue(restored.enabled(), "enabled again");

        // The topic policy replaced by hand without RDS's statement: the topic is updated back.
        reader.sns.setTopicAttributes(r -> r.topicArn(topicArn).attributeName("Policy")
                .attributeValue(policy.toString().replace("events.rds.amazonaws.com", "example.amazonaws.com")));
        EnvironmentPlan topic = monitoringPlan(spec);
        assertEquals(List.of(env + "/monitoring/topic"), topic.actions().stream().map(Change::address).toList());
        apply(topic);
        assertTrue(reader.sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes().get("Policy")
                .contains("events.rds.amazonaws.com"));
        assertEquals(List.of(), monitoringPlan(spec).actions());
    }

    private EventSubscription subscription(String name) {
        List<EventSubscription> found = reader.rds.describeEventSubscriptions(r -> r.subscriptionName(name))
                .eventSubscriptionsList();
        assertEquals(1, found.size(), name);
        return found.get(0);
    }

    private static List<software.amazon.awssdk.services.rds.model.Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> software.amazon.awssdk.services.rds.model.Tag.builder()
                .key(e.getKey()).value(e.getValue()).build()).toList();
    }

    @Test
    void aKeyWhoseCreateWasCutBeforeItsAliasIsAdoptedNotCreatedTwice() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("blog-dev")).findFirst().orElseThrow();
        network(spec);
        Resource desired = DesiredState.compile(spec, "rev1").stream()
                .filter(r -> r.type() == ResourceType.KMS_KEY).findFirst().orElseThrow();
        // What a daemon killed between CreateKey and CreateAlias leaves: a tagged key, no alias, no policy of its own.
        String orphan = reader.kms.createKey(r -> r.description("Terrace " + desired.address())
                .tags(desired.tags().entrySet().stream().map(e -> software.amazon.awssdk.services.kms.model.Tag.builder()
                        .tagKey(e.getKey()).tagValue(e.getValue()).build()).toList())).keyMetadata().keyId();

        apply(spec);

        assertEquals(orphan, reader.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(spec.name())))
                .keyMetadata().keyId(), "the alias names the key the cut create left");
        long keys = reader.kms.listKeys().keys().stream()
                .map(k -> reader.kms.describeKey(r -> r.keyId(k.keyId())).keyMetadata())
                .filter(m -> m.description().equals("Terrace " + desired.address()))
                .count();
        assertEquals(1, keys, "no second key");
        assertOwnKey(spec.name());
        assertEquals(List.of(), monitoringPlan(spec).actions());
    }

    @Test
    void aSubscriberDroppedFromTheSpecIsUnsubscribedAndANewOneSubscribed() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> !s.monitoring().alerts().isEmpty()).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        EnvironmentSpec changed = withAlerts(spec, List.of("oncall@example.org"));
        apply(monitoringPlan(changed));
        String topicArn = reader.sns.listTopics().topics().stream().map(t -> t.topicArn())
                .filter(a -> a.endsWith(":" + ResourceNames.alertTopic(spec.name()))).findFirst().orElseThrow();
        assertEquals(List.of("oncall@example.org"), reader.sns.listSubscriptionsByTopic(r -> r.topicArn(topicArn))
                .subscriptions().stream().map(Subscription::endpoint).toList());
        assertEquals(List.of(), monitoringPlan(changed).actions());
    }

    @Test
    void deletingTheEnvironmentRemovesTopicAndAlarmsAndSchedulesTheKeysDeletion() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("blog-dev")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        List<ObservedResource> live = observe(spec.name());
        EnvironmentPlan deletion = filter(new Planner(new PlanOptions(true)).planEnvironment(spec.name(), Optional.empty(),
                "rev2", Optional.empty(), live));
        assertTrue(deletion.actions().stream().allMatch(c -> c.action() == Action.DELETE), deletion.actions().toString());
        assertEquals(Alarms.of(spec).size() + 4, deletion.actions().size(),
                "the alarms, the two event subscriptions, the topic and the key");
        String keyId = reader.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(spec.name()))).keyMetadata().keyId();
        apply(deletion);
        KeyMetadata key = reader.kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
        assertEquals(KeyState.PENDING_DELETION, key.keyState(), "the key's deletion is scheduled");
        long days = java.time.Duration.between(java.time.Instant.now(), key.deletionDate()).toDays();
        assertTrue(days >= 6 && days <= 7, "deleted after 7 days: " + key.deletionDate());
        assertTrue(reader.kms.listAliases().aliases().stream()
                .noneMatch(a -> a.aliasName().equals(ResourceNames.alertKeyAlias(spec.name()))), "the alias is gone");
        assertEquals(List.of(), observe(spec.name()).stream().filter(o -> o.type() == ResourceType.KMS_KEY).toList(),
                "a key without its alias is no longer the environment's");

        assertEquals(List.of(), reader.cloudWatch.describeAlarms(r -> r.alarmNamePrefix("terrace-" + spec.name() + "-"))
                .metricAlarms());
        assertTrue(reader.sns.listTopics().topics().stream()
                .noneMatch(t -> t.topicArn().endsWith(":" + ResourceNames.alertTopic(spec.name()))));
        assertTrue(reader.rds.describeEventSubscriptions().eventSubscriptionsList().stream()
                .noneMatch(e -> e.custSubscriptionId().startsWith("terrace-" + spec.name() + "-")), "no event subscription left");
        // The environment created again gets a new key under the same alias.
        apply(spec);
        String again = reader.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(spec.name()))).keyMetadata().keyId();
        assertTrue(!again.equals(keyId), "a new key");
        assertOwnKey(spec.name());
        assertEquals(List.of(), monitoringPlan(spec).actions());
    }

    // --- helpers

    static List<EnvironmentSpec> examples() {
        Path dir = Files.isDirectory(Path.of("..", "specs")) ? Path.of("..", "specs") : Path.of("specs");
        return SpecRepository.load(dir).results().stream()
                .map(r -> ((SpecResult.Valid) r).spec()).toList();
    }

    /** The environment's real network stack (VPC, load balancer, target groups), through its driver. */
    private void network(EnvironmentSpec spec) {
        Resource stack = DesiredState.compile(spec, "rev1").stream()
                .filter(r -> r.type() == ResourceType.NETWORK_STACK).findFirst().orElseThrow();
        new ManagedDriver(new NetworkStackDriver(aws)).create(stack, new DataTestContext(aws));
    }

    private void apply(EnvironmentSpec spec) {
        apply(monitoringPlan(spec));
    }

    private void apply(EnvironmentPlan plan) {
        ApplyResult applied = Drivers.executor(aws).apply(plan, StopSignal.NEVER);
        assertEquals(ApplyResult.Outcome.APPLIED, applied.outcome(), () -> applied.error().orElse("") + "\n" + applied.steps());
    }

    private List<ObservedResource> observe(String env) {
        return new AwsObserver(aws).observe(List.of(env)).environment(env);
    }

    /** The environment's plan, cut to its monitoring component (the rest is other tests' business). */
    private EnvironmentPlan monitoringPlan(EnvironmentSpec spec) {
        return filter(new Planner(PlanOptions.DEFAULT).planEnvironment(spec.name(),
                Optional.of(new SpecResult.Valid(spec.name(), "environments/" + spec.name() + ".yaml", spec)), "rev1",
                Optional.empty(), observe(spec.name())));
    }

    private static EnvironmentPlan filter(EnvironmentPlan p) {
        List<Change> changes = p.changes().stream().filter(c -> c.address().contains("/monitoring/")).toList();
        Set<String> kept = changes.stream().map(Change::address).collect(Collectors.toSet());
        List<List<String>> waves = p.waves().stream().map(w -> w.stream().filter(kept::contains).toList())
                .filter(w -> !w.isEmpty()).toList();
        return new EnvironmentPlan(p.name(), p.tier(), p.stage(), p.revision(), Optional.empty(), changes, waves,
                List.of(), Optional.of(Moto.REGION.id()));
    }

    /**
     * The environment's alert key, read with a separate client: enabled, rotating, tagged as the
     * environment's, its policy letting the account administer it and CloudWatch and SNS of this
     * account use it to encrypt the topic's messages.
     */
    private void assertOwnKey(String env) throws Exception {
        KeyMetadata key = reader.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(env))).keyMetadata();
        assertEquals(KeyState.ENABLED, key.keyState(), env);
        assertEquals(KeyManagerType.CUSTOMER, key.keyManager(), env + ": a customer managed key");
        assertTrue(reader.kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled(), env + ": rotation");
        Map<String, String> tags = reader.kms.listResourceTags(r -> r.keyId(key.keyId())).tags().stream()
                .collect(Collectors.toMap(t -> t.tagKey(), t -> t.tagValue()));
        assertEquals(env, tags.get("terrace:environment"), env);
        assertEquals("monitoring", tags.get("terrace:component"), env);
        String account = key.arn().split(":")[4];
        JsonNode policy = new ObjectMapper().readTree(
                reader.kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy());
        JsonNode admin = statement(policy, "AccountAdministers");
        assertEquals("arn:aws:iam::" + account + ":root", admin.path("Principal").path("AWS").asText(), policy.toString());
        assertEquals("kms:*", admin.path("Action").asText());
        JsonNode use = statement(policy, "AlarmsAndTopicsEncrypt");
        assertTrue(use.path("Principal").path("Service").toString().contains("cloudwatch.amazonaws.com"), use.toString());
        assertTrue(use.path("Principal").path("Service").toString().contains("sns.amazonaws.com"), use.toString());
        assertTrue(use.path("Principal").path("Service").toString().contains("events.rds.amazonaws.com"),
                "RDS event notifications can use the topic's key: " + use);
        assertTrue(use.path("Action").toString().contains("kms:GenerateDataKey*"), use.toString());
        assertTrue(use.path("Action").toString().contains("kms:Decrypt"), use.toString());
        assertEquals(account, use.path("Condition").path("StringEquals").path("aws:SourceAccount").asText(), use.toString());
        // CloudWatch Logs may use it for this environment's log groups, and no other's.
        JsonNode logs = statement(policy, "LogGroupsEncrypt");
        String service = logs.path("Principal").path("Service").asText();
        assertTrue(service.matches("logs\\.[a-z0-9-]+\\.amazonaws\\.com"), logs.toString());
        String region = service.split("\\.")[1];
        assertTrue(logs.path("Action").toString().contains("kms:GenerateDataKey*"), logs.toString());
        assertTrue(logs.path("Action").toString().contains("kms:Decrypt*"), logs.toString());
        String prefix = "arn:aws:logs:" + region + ":" + account + ":log-group:";
        assertEquals(new ObjectMapper().createArrayNode()
                        .add(prefix + "/aws/rds/cluster/" + ResourceNames.dbCluster(env) + "/*")
                        .add(prefix + "/terrace/" + env + "/*"),
                logs.path("Condition").path("ArnLike").path("kms:EncryptionContext:aws:logs:arn"), logs.toString());
    }

    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode s : policy.path("Statement")) {
            if (sid.equals(s.path("Sid").asText())) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sid + " in " + policy);
    }

    private static MetricAlarm alarm(List<MetricAlarm> alarms, String env, String key) {
        return alarms.stream().filter(a -> a.alarmName().equals(ResourceNames.alarm(env, key))).findFirst().orElseThrow();
    }

    private Map<String, String> tagsOf(String topicArn) {
        return reader.sns.listTagsForResource(r -> r.resourceArn(topicArn)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private static EnvironmentSpec withThreshold(EnvironmentSpec s, Threshold t, double value) {
        Map<Threshold, Double> thresholds = new HashMap<>(s.monitoring().thresholds());
        thresholds.put(t, value);
        return with(s, new EnvironmentSpec.Monitoring(s.monitoring().alerts(), thresholds));
    }

    private static EnvironmentSpec withAlerts(EnvironmentSpec s, List<String> alerts) {
        return with(s, new EnvironmentSpec.Monitoring(alerts, s.monitoring().thresholds()));
    }

    private static EnvironmentSpec with(EnvironmentSpec s, EnvironmentSpec.Monitoring m) {
        return s.withMonitoring(m);
    }
}
