package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Apm;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.Volume;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * {@code application.apm} against moto: turned on, the web task definition gets the OpenTelemetry
 * collector sidecar and the web task role X-Ray's managed policy, read back with separate ECS and
 * IAM clients, and a second plan is empty; turned off, both go again.
 */
@NeedsMoto
class ApmSidecarIT {

    private static final String ENV = "acme";

    private AwsClients aws;
    private AwsClients check;
    private AwsObserver observer;
    private PlanExecutor executor;

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        check = Moto.clients();
        observer = new AwsObserver(aws);
        executor = Drivers.executor(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        check.close();
    }

    @Test
    void apmAddsTheCollectorBesideTheWebContainerAndTurningItOffRemovesIt() {
        EnvironmentSpec on = TestSpecs.withApm(TestSpecs.standard(ENV), true);
        apply(on);

        TaskDefinition web = taskDefinition(Component.WEB);
        assertEquals(2, web.containerDefinitions().size(), "web and the collector");
        ContainerDefinition app = web.containerDefinitions().get(0);
        ContainerDefinition collector = web.containerDefinitions().get(1);
        assertEquals("web", app.name());
        assertEquals(Apm.ENDPOINT, env(app).get("OTEL_EXPORTER_OTLP_ENDPOINT"));

        assertEquals(Apm.CONTAINER, collector.name());
        assertEquals(Apm.IMAGE, collector.image());
        assertFalse(collector.essential(), "the web container keeps serving without it");
        assertEquals(Apm.CPU, collector.cpu());
        assertEquals(Apm.MEMORY, collector.memory());
        assertEquals(Apm.MEMORY_RESERVATION, collector.memoryReservation());
        assertTrue(collector.memory() < Integer.parseInt(web.memory()) && collector.cpu() < Integer.parseInt(web.cpu()),
                "the collector fits inside the task");
        String config = env(collector).get("AOT_CONFIG_CONTENT");
        assertTrue(config.contains("awsxray:") && config.contains("region: eu-west-1")
                && config.contains("endpoint: 127.0.0.1:4317"), config);
        assertEquals(Boolean.TRUE, collector.readonlyRootFilesystem());
        Set<String> hostless = web.volumes().stream().filter(v -> v.host() == null || v.host().sourcePath() == null)
                .map(Volume::name).collect(Collectors.toSet());
        assertEquals(List.of("/tmp"), collector.mountPoints().stream()
                .filter(m -> hostless.contains(m.sourceVolume()) && !Boolean.TRUE.equals(m.readOnly()))
                .map(MountPoint::containerPath).toList(), "it writes only its own scratch /tmp");
        assertFalse(app.mountPoints().stream().anyMatch(m -> collector.mountPoints().stream()
                .anyMatch(c -> c.sourceVolume().equals(m.sourceVolume()))), "no volume shared with the web container");
        assertEquals(LogDriver.AWSLOGS, collector.logConfiguration().logDriver());
        assertEquals(ResourceNames.logGroup(ENV, Component.WEB), collector.logConfiguration().options().get("awslogs-group"));
        assertEquals("apm", collector.logConfiguration().options().get("awslogs-stream-prefix"));

        assertEquals(List.of(Apm.XRAY_POLICY), attached(ResourceNames.taskRole(ENV, Component.WEB)));
        for (Component c : List.of(Component.CAVALCADE, Component.TACHYON, Component.SANDBOX)) {
            assertEquals(1, taskDefinition(c).containerDefinitions().size(), c.id() + " has no sidecar");
            assertFalse(env(taskDefinition(c).containerDefinitions().get(0)).containsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
            assertEquals(List.of(), attached(ResourceNames.taskRole(ENV, c)), c.id());
        }
        assertEquals(List.of(), pending(on), "steady state with the collector");

        EnvironmentSpec off = TestSpecs.standard(ENV);
        assertEquals(Set.of("update acme/web/task environment sidecars", "update acme/web/task-role managedPolicies"),
                Set.copyOf(pending(off)));
        apply(off);
        TaskDefinition after = taskDefinition(Component.WEB);
        assertEquals(List.of("web"), after.containerDefinitions().stream().map(ContainerDefinition::name).toList());
        assertFalse(env(after.containerDefinitions().get(0)).containsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        assertEquals(List.of(), attached(ResourceNames.taskRole(ENV, Component.WEB)), "X-Ray's policy is detached");
        assertEquals(List.of(), pending(off), "steady state without it");
    }

    // --- helpers ---

    private void apply(EnvironmentSpec spec) {
        EnvironmentPlan plan = TestPlanner.plan(spec, "rev1", observer.observe(List.of(spec.name())));
        ApplyResult result = executor.apply(plan, StopSignal.NEVER);
        assertTrue(result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.NO_CHANGES,
                () -> result.outcome() + ": " + result.error().orElse("") + "\n" + result.steps());
    }

    private List<String> pending(EnvironmentSpec spec) {
        return TestPlanner.plan(spec, "rev1", observer.observe(List.of(spec.name()))).actions().stream()
                .map(c -> c.action().id() + " " + c.address() + c.attributes().stream()
                        .map(a -> " " + a.path()).collect(Collectors.joining()))
                .toList();
    }

    private TaskDefinition taskDefinition(Component c) {
        return check.ecs.describeTaskDefinition(r -> r.taskDefinition(ResourceNames.taskFamily(ENV, c))).taskDefinition();
    }

    private static Map<String, String> env(ContainerDefinition c) {
        Map<String, String> out = new TreeMap<>();
        c.environment().forEach((KeyValuePair kv) -> out.put(kv.name(), kv.value()));
        return out;
    }

    private List<String> attached(String role) {
        return check.iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).sorted().toList();
    }
}
