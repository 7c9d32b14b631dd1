package io.terrace.reconciler.engine;

import static io.terrace.reconciler.engine.TestPlans.create;
import static io.terrace.reconciler.engine.TestPlans.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Component;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.TransientFailure;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rollout waits on the executor's fake clock: done, failed at once, or failed when the rollout timeout is up. */
class RolloutWaitTest {

    private static final Resource WEB = resource(Component.WEB, "service", ResourceType.ECS_SERVICE);
    private static final Resource SCALING = resource(Component.WEB, "scaling", ResourceType.AUTOSCALING_TARGET,
            WEB.address());

    private final FakeDriver driver = new FakeDriver();
    private final Instant start = Instant.parse("2025-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(start);

    private ApplyResult apply(ExecutorSettings settings) {
        PlanExecutor executor = new PlanExecutor(driver.everyType(), (marker, revision, context) -> marker,
                TransientFailure::isTransient, clock, clock.sleeper(), settings, () -> 1.0);
        return executor.apply(new TestPlans().wave(create(WEB)).wave(create(SCALING)).build(), StopSignal.NEVER);
    }

    private Step web(ApplyResult result) {
        return result.steps().stream().filter(s -> s.address().equals(WEB.address())).findFirst().orElseThrow();
    }

    @Test
    void aRolloutThatCompletesEndsTheWaitAndTheStepSucceeds() {
        AtomicInteger polls = new AtomicInteger();
        driver.during.put(WEB.address(), ctx -> ctx.awaitRollout("web", () -> polls.incrementAndGet() < 4
                ? new Rollout.InProgress(polls.get() + " of 4 tasks running", "") : Rollout.DONE));

        ApplyResult result = apply(ExecutorSettings.DEFAULT);

        assertEquals(Outcome.APPLIED, result.outcome(), result.error().orElse(""));
        assertEquals(4, polls.get());
        assertEquals(Duration.ofSeconds(15), Duration.between(start, clock.instant()), "three polls 5 s apart");
    }

    @Test
    void aRolloutStillUnderWayAtTheTimeoutFailsTheStepWithWhereItStoodAndTheLastEvent() {
        AtomicInteger polls = new AtomicInteger();
        driver.during.put(WEB.address(), ctx -> ctx.awaitRollout("web", () -> {
            polls.incrementAndGet();
            return new Rollout.InProgress("1 of 2 tasks running",
                    "(service web) is unable to consistently start tasks successfully.");
        }));

        ApplyResult result = apply(ExecutorSettings.DEFAULT);

        assertEquals(Outcome.FAILED, result.outcome());
        Step web = web(result);
        assertEquals(Status.FAILED, web.status());
        assertEquals("web: 1 of 2 tasks running after 15m; last event: "
                + "(service web) is unable to consistently start tasks successfully.", web.message());
        assertEquals(Duration.ofMinutes(15), Duration.between(start, clock.instant()),
                "the default rollout timeout, on the executor's clock");
        assertEquals(181, polls.get(), "every 5 s for 15 minutes, and once at the start");
        assertEquals(1, driver.calls.size(), "a timeout is not retried");
        assertTrue(result.error().orElseThrow().contains("acme/web/service: web: 1 of 2 tasks running after 15m"));
        Step scaling = result.steps().stream().filter(s -> s.address().equals(SCALING.address())).findFirst().orElseThrow();
        assertEquals(Status.SKIPPED, scaling.status());
    }

    @Test
    void theRolloutTimeoutIsAnExecutorSetting() {
        driver.during.put(WEB.address(), ctx -> ctx.awaitRollout("web",
                () -> new Rollout.InProgress("0 of 1 task running", "")));

        ApplyResult result = apply(ExecutorSettings.DEFAULT.withRolloutTimeout(Duration.ofMinutes(90)));

        assertEquals("web: 0 of 1 task running after 1h30m", web(result).message(), "no event: nothing after the count");
        assertEquals(Duration.ofMinutes(90), Duration.between(start, clock.instant()));
    }

    @Test
    void aRolledBackDeploymentFailsTheStepAtOnce() {
        driver.during.put(WEB.address(), ctx -> ctx.awaitRollout("web",
                () -> new Rollout.Failed("deployment rolled back: ECS deployment circuit breaker: tasks failed to start.")));

        ApplyResult result = apply(ExecutorSettings.DEFAULT);

        assertEquals("web: deployment rolled back: ECS deployment circuit breaker: tasks failed to start.",
                web(result).message());
        assertEquals(start, clock.instant(), "no waiting once the rollout has failed");
        assertEquals(1, driver.calls.size());
    }

    @Test
    void durationsAreWrittenTheWayPeopleWriteThem() {
        assertEquals("15m", PlanRun.brief(Duration.ofMinutes(15)));
        assertEquals("1h30m", PlanRun.brief(Duration.ofMinutes(90)));
        assertEquals("45s", PlanRun.brief(Duration.ofSeconds(45)));
        assertEquals("2h", PlanRun.brief(Duration.ofHours(2)));
        assertEquals("0s", PlanRun.brief(Duration.ZERO));
    }
}
