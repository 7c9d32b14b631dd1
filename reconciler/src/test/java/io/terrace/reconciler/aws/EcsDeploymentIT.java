package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.ecs.EcsClusterDriver;
import io.terrace.reconciler.aws.ecs.EcsResources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import io.terrace.reconciler.engine.ExecutorSettings;
import io.terrace.reconciler.engine.MutableClock;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * ECS deployments against moto: services run with the circuit breaker and rollback on, read back
 * with a separate client; an apply returns once every deployment it started is steady, and a
 * deployment that never settles fails its step after the rollout timeout, on the executor's clock.
 * moto reports {@link Moto#ECS_SERVICE_RUNNING} tasks running in every service it creates, so a
 * desired count above that never completes.
 */
@NeedsMoto
class EcsDeploymentIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private AwsClients aws;
    private AwsClients check;
    private AwsObserver observer;
    private final MutableClock clock = new MutableClock(START);

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        check = Moto.clients();
        observer = new AwsObserver(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        check.close();
    }

    private ApplyResult apply(EnvironmentSpec spec, String revision) {
        EnvironmentPlan plan = TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name())));
        PlanExecutor executor = new PlanExecutor(Drivers.of(aws), new EcsClusterDriver(aws), TransientFailure::isTransient,
                clock, clock.sleeper(), ExecutorSettings.DEFAULT, () -> 1.0);
        return executor.apply(plan, StopSignal.NEVER);
    }

    private static void assertApplied(ApplyResult result) {
        assertTrue(result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.NO_CHANGES,
                () -> result.outcome() + ": " + result.error().orElse("") + "\n" + result.steps());
    }

    private Service service(String env, Component c) {
        return check.ecs.describeServices(r -> r.cluster(ResourceNames.ecsCluster(env))
                .services(ResourceNames.ecsService(c))).services().get(0);
    }

    private static void assertCircuitBreakerOn(Service s) {
        DeploymentConfiguration dc = s.deploymentConfiguration();
        assertTrue(dc != null && dc.deploymentCircuitBreaker() != null, s.serviceName() + ": " + dc);
        assertEquals(Boolean.TRUE, dc.deploymentCircuitBreaker().enable(), s.serviceName());
        assertEquals(Boolean.TRUE, dc.deploymentCircuitBreaker().rollback(), s.serviceName());
        assertEquals(100, dc.minimumHealthyPercent(), s.serviceName());
        assertEquals(200, dc.maximumPercent(), s.serviceName());
    }

    private static long calls(AwsClients clients, String operation) {
        return clients.counter().snapshot().entrySet().stream()
                .filter(e -> e.getKey().endsWith(":" + operation)).mapToLong(Map.Entry::getValue).sum();
    }

    private List<String> pendingServiceChanges(EnvironmentSpec spec, String revision) {
        return TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name()))).actions().stream()
                .filter(c -> c.type() == ResourceType.ECS_SERVICE)
                .map(c -> c.address() + " " + c.attributes().stream().map(a -> a.path()).sorted().toList())
                .toList();
    }

    @Test
    void servicesRunWithTheCircuitBreakerAndTheApplyEndsOnceTheirDeploymentsAreSteady() {
        EnvironmentSpec spec = TestSpecs.standard("acme");

        assertApplied(apply(spec, "rev1"));

        for (Component c : EcsResources.SERVICE_COMPONENTS) {
            Service s = service("acme", c);
            assertCircuitBreakerOn(s);
            assertEquals(DeploymentRolloutState.COMPLETED, s.deployments().get(0).rolloutState(), c.id());
        }
        assertEquals(2, calls(aws, "DescribeTargetHealth"),
                "web and tachyon's target groups were read once their deployments completed: " + aws.counter().snapshot());
        assertEquals(List.of(), pendingServiceChanges(spec, "rev1"), "the settings read back equal the plan's");
    }

    @Test
    void aServiceWithoutTheCircuitBreakerGetsItByUpdateService() {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        assertApplied(apply(spec, "rev1"));
        check.ecs.updateService(r -> r.cluster(ResourceNames.ecsCluster("acme")).service("web")
                .deploymentConfiguration(d -> d.deploymentCircuitBreaker(b -> b.enable(false).rollback(false))
                        .minimumHealthyPercent(50).maximumPercent(150)));

        assertEquals(List.of("acme/web/service [circuitBreaker, circuitBreakerRollback, maximumPercent, "
                + "minimumHealthyPercent]"), pendingServiceChanges(spec, "rev1"));
        aws.counter().reset();
        assertApplied(apply(spec, "rev1"));

        assertCircuitBreakerOn(service("acme", Component.WEB));
        assertEquals(1, calls(aws, "UpdateService"), aws.counter().snapshot().toString());
        assertEquals(List.of(), pendingServiceChanges(spec, "rev1"));
    }

    @Test
    void anImageChangeReturnsOnceTheNewRevisionsDeploymentIsSteady() {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        assertApplied(apply(spec, "rev1"));
        String before = service("acme", Component.WEB).taskDefinition();

        aws.counter().reset();
        ApplyResult result = apply(TestSpecs.withImage(spec, "registry.example.com/acme/app:1.43.0"), "rev2");

        assertApplied(result);
        String after = service("acme", Component.WEB).taskDefinition();
        assertTrue(after.endsWith(":2") && before.endsWith(":1"), before + " -> " + after);
        Map<String, Long> sent = aws.counter().snapshot();
        assertEquals(3, calls(aws, "UpdateService"), "web, sandbox and cavalcade run the new image: " + sent);
        assertEquals(1 + 3, calls(aws, "DescribeServices"), "the observe, then one read of each moved service: " + sent);
        assertEquals(1, calls(aws, "DescribeTargetHealth"), "web's target group, once its deployment completed: " + sent);
        assertEquals(Duration.ZERO, Duration.between(START, clock.instant()), "moto's deployments are complete at once");
    }

    @Test
    void aDeploymentThatNeverSettlesFailsItsStepAfterTheRolloutTimeoutWithWhereItStood() {
        int tooMany = Moto.ECS_SERVICE_RUNNING + 1;
        EnvironmentSpec spec = TestSpecs.withWeb(TestSpecs.standard("acme"), tooMany, tooMany + 4);

        ApplyResult result = apply(spec, "rev1");

        assertEquals(Outcome.FAILED, result.outcome(), () -> result.steps().toString());
        Map<String, Step> steps = new java.util.LinkedHashMap<>();
        result.steps().forEach(s -> steps.put(s.address(), s));
        assertEquals(Status.FAILED, steps.get("acme/web/service").status());
        assertEquals("web: " + Moto.ECS_SERVICE_RUNNING + " of " + tooMany + " tasks running after 15m",
                steps.get("acme/web/service").message(), "moto keeps no service events, so none is quoted");
        assertEquals(Status.SKIPPED, steps.get("acme/web/scaling").status());
        for (Component c : List.of(Component.SANDBOX, Component.CAVALCADE, Component.TACHYON)) {
            assertEquals(Status.SUCCEEDED, steps.get("acme/" + c.id() + "/service").status(), c.id());
        }
        assertTrue(!clock.instant().isBefore(START.plus(ExecutorSettings.DEFAULT_ROLLOUT_TIMEOUT)), clock.instant().toString());
        assertTrue(calls(aws, "DescribeServices") >= 181, "polled every 5 s: " + aws.counter().snapshot());

        Service web = service("acme", Component.WEB);
        assertCircuitBreakerOn(web);
        assertEquals(DeploymentRolloutState.IN_PROGRESS, web.deployments().get(0).rolloutState());
    }
}
