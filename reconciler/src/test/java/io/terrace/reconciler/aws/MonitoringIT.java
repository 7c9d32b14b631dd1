package io.terrace.reconciler.aws;

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
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * The monitoring component against moto, through the planner and the executor: every example
 * environment gets its encrypted topic with the spec's subscribers and every alarm with its tier's
 * thresholds, actions on its topic and the real load balancer in its dimensions, read back with
 * separate clients; a changed threshold updates the alarm; an alarm deleted by hand is drift and
 * comes back; deleting the environment removes them all.
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
        Map<String, String> topics = new HashMap<>();
        reader.sns.listTopicsPaginator(r -> { }).topics().forEach(t -> topics.put(SnsTopics.name(t.topicArn()), t.topicArn()));
        for (EnvironmentSpec spec : examples) {
            String env = spec.name();
            String topicArn = topics.get(ResourceNames.alertTopic(env));
            assertTrue(topicArn != null, env + ": its topic exists");
            Map<String, String> attributes = reader.sns.getTopicAttributes(r -> r.topicArn(topicArn)).attributes();
            assertEquals("alias/aws/sns", attributes.get("KmsMasterKeyId"), env);
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
    void deletingTheEnvironmentRemovesTopicAndAlarms() throws Exception {
        EnvironmentSpec spec = examples().stream().filter(s -> s.name().equals("blog-dev")).findFirst().orElseThrow();
        network(spec);
        apply(spec);
        List<ObservedResource> live = observe(spec.name());
        EnvironmentPlan deletion = filter(new Planner(new PlanOptions(true)).planEnvironment(spec.name(), Optional.empty(),
                "rev2", Optional.empty(), live));
        assertTrue(deletion.actions().stream().allMatch(c -> c.action() == Action.DELETE), deletion.actions().toString());
        assertEquals(Alarms.of(spec).size() + 1, deletion.actions().size());
        apply(deletion);
        assertEquals(List.of(), reader.cloudWatch.describeAlarms(r -> r.alarmNamePrefix("terrace-" + spec.name() + "-"))
                .metricAlarms());
        assertTrue(reader.sns.listTopics().topics().stream()
                .noneMatch(t -> t.topicArn().endsWith(":" + ResourceNames.alertTopic(spec.name()))));
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
