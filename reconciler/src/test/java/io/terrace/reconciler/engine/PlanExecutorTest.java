package io.terrace.reconciler.engine;

import static io.terrace.reconciler.engine.TestPlans.create;
import static io.terrace.reconciler.engine.TestPlans.delete;
import static io.terrace.reconciler.engine.TestPlans.live;
import static io.terrace.reconciler.engine.TestPlans.noop;
import static io.terrace.reconciler.engine.TestPlans.replace;
import static io.terrace.reconciler.engine.TestPlans.resource;
import static io.terrace.reconciler.engine.TestPlans.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Action;
import io.terrace.planner.Component;
import io.terrace.planner.LiveRef;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.TransientFailure;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The executor's contract, with a recording driver and a fake clock: nothing here sleeps or calls AWS. */
class PlanExecutorTest {

    private static final Resource NETWORK = resource(Component.NETWORK, "stack", ResourceType.NETWORK_STACK);
    private static final Resource ASSETS = resource(Component.ASSETS, "bucket", ResourceType.S3_BUCKET);
    private static final Resource CLUSTER = resource(Component.CLUSTER, "cluster", ResourceType.ECS_CLUSTER,
            NETWORK.address());
    private static final Resource WEB_TASK = resource(Component.WEB, "task", ResourceType.ECS_TASK_DEFINITION,
            NETWORK.address(), CLUSTER.address());
    private static final Resource WEB = resource(Component.WEB, "service", ResourceType.ECS_SERVICE,
            NETWORK.address(), CLUSTER.address(), WEB_TASK.address());

    private final FakeDriver driver = new FakeDriver();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final List<String> stamped = new CopyOnWriteArrayList<>();
    private ExecutorSettings settings = new ExecutorSettings(4, 3, new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(5)),
            Duration.ofSeconds(5), Duration.ofMinutes(10));

    private PlanExecutor executor() {
        RevisionStamp stamp = (marker, revision, context) -> {
            stamped.add(marker.address() + "@" + revision);
            return marker;
        };
        return new PlanExecutor(driver.everyType(), stamp, TransientFailure::isTransient, clock, clock.sleeper(), settings,
                () -> 1.0);
    }

    private static Map<String, Step> byAddress(ApplyResult result) {
        Map<String, Step> out = new java.util.LinkedHashMap<>();
        result.steps().forEach(s -> out.put(s.address(), s));
        return out;
    }

    @Test
    void tellsTheListenerOfEachStepAsItStartsAndEnds() {
        driver.failWith(CLUSTER.address(), () -> new IllegalStateException("cluster limit exceeded"), 1);
        var plan = new TestPlans().wave(create(NETWORK)).wave(create(CLUSTER)).wave(create(WEB_TASK)).build();
        List<String> heard = new CopyOnWriteArrayList<>();
        StepListener listener = new StepListener() {
            @Override
            public void started(String address, Action action) {
                heard.add("start " + address + " " + action.id());
            }

            @Override
            public void finished(Step step) {
                heard.add("end " + step.address() + " " + step.status());
            }
        };

        executor().apply(plan, StopSignal.NEVER, listener);

        // The task definition depends on the failed cluster: skipped, so never started.
        assertEquals(List.of(
                "start " + NETWORK.address() + " create", "end " + NETWORK.address() + " SUCCEEDED",
                "start " + CLUSTER.address() + " create", "end " + CLUSTER.address() + " FAILED"), heard);
    }

    @Test
    void appliesWaveByWaveInDependencyOrder() {
        var plan = new TestPlans()
                .wave(create(NETWORK), create(ASSETS))
                .wave(create(CLUSTER))
                .wave(create(WEB_TASK))
                .wave(create(WEB))
                .build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), result.error().orElse(""));
        List<String> calls = driver.calls;
        assertEquals(5, calls.size());
        assertTrue(calls.indexOf("create " + NETWORK.address()) < calls.indexOf("create " + CLUSTER.address()));
        assertTrue(calls.indexOf("create " + ASSETS.address()) < calls.indexOf("create " + CLUSTER.address()));
        assertEquals(List.of("create " + CLUSTER.address(), "create " + WEB_TASK.address(), "create " + WEB.address()),
                calls.subList(2, 5));
        assertTrue(result.steps().stream().allMatch(s -> s.status() == Status.SUCCEEDED));
    }

    @Test
    void skipsDependentsOfAFailedStepAndSaysWhy() {
        driver.failWith(NETWORK.address(), () -> new IllegalStateException("VPC limit exceeded"), 1);
        var plan = new TestPlans()
                .wave(create(NETWORK), create(ASSETS))
                .wave(create(CLUSTER))
                .wave(create(WEB_TASK))
                .build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        Map<String, Step> steps = byAddress(result);
        assertEquals(Status.FAILED, steps.get(NETWORK.address()).status());
        assertEquals("VPC limit exceeded", steps.get(NETWORK.address()).message());
        assertEquals(Status.SUCCEEDED, steps.get(ASSETS.address()).status(), "independent work goes on");
        assertEquals("skipped: depends on acme/network/stack, which failed", steps.get(CLUSTER.address()).message());
        assertEquals(Status.SKIPPED, steps.get(WEB_TASK.address()).status());
        assertEquals("skipped: depends on acme/network/stack, which failed", steps.get(WEB_TASK.address()).message(),
                "a transitive dependent names the step that failed");
        assertEquals(List.of("create " + ASSETS.address(), "create " + NETWORK.address()),
                driver.calls.stream().sorted().toList(), "skipped steps never reach the driver");
        assertTrue(stamped.isEmpty(), "a failed apply never records its revision");
        assertTrue(result.error().orElseThrow().contains("acme/network/stack: VPC limit exceeded"));
    }

    @Test
    void stopSignalEndsTheApplyBetweenWaves() {
        AtomicInteger asked = new AtomicInteger();
        StopSignal pauseAfterFirstWave = () -> asked.incrementAndGet() > 1
                ? Optional.of("PAUSE: incident 42") : Optional.empty();
        var plan = new TestPlans()
                .wave(create(NETWORK))
                .wave(create(CLUSTER))
                .build();

        ApplyResult result = executor().apply(plan, pauseAfterFirstWave);

        assertEquals(Outcome.STOPPED, result.outcome());
        assertEquals(List.of("create " + NETWORK.address()), driver.calls);
        assertEquals("stopped before wave 2 of 2: PAUSE: incident 42", result.error().orElseThrow());
        assertTrue(stamped.isEmpty());
    }

    @Test
    void aWavesCreatesOfOneKindAreReadFirstTogetherOnceAndARetryReadsAgain() {
        Resource disk = resource(Component.MONITORING, "disk", ResourceType.CLOUDWATCH_ALARM);
        Resource errors = resource(Component.MONITORING, "5xx", ResourceType.CLOUDWATCH_ALARM);
        Resource other = resource(Component.MONITORING, "other", ResourceType.CLOUDWATCH_ALARM);
        driver.readsTogether = true;
        driver.failWith(errors.address(), PlanExecutorTest::throttled, 1);
        // Someone else's alarm under the third name: the batch finds it, and the create refuses it.
        driver.existing.put(other.address(), live(other, Map.of()));
        var plan = new TestPlans().wave(create(NETWORK), create(disk), create(errors), create(other)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        Map<String, Step> steps = byAddress(result);
        assertEquals(Status.SUCCEEDED, steps.get(disk.address()).status());
        assertEquals(Status.SUCCEEDED, steps.get(errors.address()).status(), steps.get(errors.address()).message());
        assertEquals(Status.FAILED, steps.get(other.address()).status());
        assertTrue(steps.get(other.address()).message().contains("refusing to take over"),
                steps.get(other.address()).message());
        assertEquals(List.of("readAll " + List.of(errors.address(), disk.address(), other.address()),
                "read " + NETWORK.address(), "read " + errors.address(), "read " + errors.address()).stream().sorted()
                .toList(), driver.reads.stream().sorted().toList(), "one read for the three alarms, the network stack's"
                + " own, and for the throttled create the read after its failure and its second attempt's own");
    }

    @Test
    void aFailedReadOfAWavesCreatesLeavesEachItsOwnRead() {
        Resource disk = resource(Component.MONITORING, "disk", ResourceType.CLOUDWATCH_ALARM);
        Resource errors = resource(Component.MONITORING, "5xx", ResourceType.CLOUDWATCH_ALARM);
        driver.readsTogether = true;
        driver.readAllFailure = throttled();
        var plan = new TestPlans().wave(create(disk), create(errors)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), result.error().orElse(""));
        assertEquals(List.of("read " + errors.address(), "read " + disk.address(),
                "readAll " + List.of(errors.address(), disk.address())).stream().sorted().toList(),
                driver.reads.stream().sorted().toList());
    }

    @Test
    void retriesThrottlingWithCappedExponentialBackoffOnTheClock() {
        driver.failWith(NETWORK.address(), PlanExecutorTest::throttled, 2);
        var plan = new TestPlans().wave(create(NETWORK)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), result.error().orElse(""));
        assertEquals(3, driver.calls.size(), "two throttled attempts, then success");
        // base 2s doubling, cap 5s, random 1.0 = the top of each jitter window
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), clock.sleeps);
    }

    @Test
    void givesUpAfterTheStepAttemptsAndSaysHowManyWereMade() {
        driver.failWith(NETWORK.address(), PlanExecutorTest::serverError, 5);
        var plan = new TestPlans().wave(create(NETWORK)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(3, driver.calls.size());
        assertTrue(byAddress(result).get(NETWORK.address()).message().endsWith("(after 3 attempts)"));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), clock.sleeps);
    }

    @Test
    void doesNotRetryATerminalError() {
        driver.failWith(NETWORK.address(), () -> AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationError").errorMessage("bad").build())
                .message("bad template").build(), 1);
        var plan = new TestPlans().wave(create(NETWORK)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(1, driver.calls.size());
        assertTrue(clock.sleeps.isEmpty());
    }

    @Test
    void backoffDelaysGrowAndStayUnderTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(500), backoff.delay(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(1), backoff.delay(1, () -> 1.0));
        assertEquals(Duration.ofSeconds(8), backoff.delay(4, () -> 1.0));
        assertEquals(Duration.ofSeconds(10), backoff.delay(5, () -> 1.0));
        assertEquals(Duration.ofSeconds(10), backoff.delay(40, () -> 1.0));
        assertEquals(Duration.ofSeconds(5), backoff.delay(40, () -> 0.0));
    }

    @Test
    void readinessWaitPollsOnTheClockAndTimesOut() {
        driver.during.put(NETWORK.address(), ctx -> ctx.await("stack to settle", () -> false));
        var plan = new TestPlans().wave(create(NETWORK)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        assertTrue(byAddress(result).get(NETWORK.address()).message().contains("timed out after PT10M waiting for stack to settle"));
        assertEquals(Duration.ofSeconds(5), clock.sleeps.get(0), "polls at the poll interval");
        assertEquals(120, clock.sleeps.size(), "10 minutes of 5-second polls, no real sleep");
    }

    @Test
    void readinessWaitReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        driver.during.put(NETWORK.address(), ctx -> ctx.await("stack", () -> polls.incrementAndGet() >= 3));
        var plan = new TestPlans().wave(create(NETWORK)).build();

        assertEquals(Outcome.APPLIED, executor().apply(plan, StopSignal.NEVER).outcome());
        assertEquals(2, clock.sleeps.size());
    }

    @Test
    void refusesInvalidBlockedAndPausedPlansWithoutTouchingAnything() {
        var invalid = new TestPlans().wave(create(NETWORK)).invalid("web.max is 80, tier standard allows at most 10").build();
        var blocked = new TestPlans().wave(TestPlans.blocked(delete(live(ASSETS)), "data-bearing")).build();
        var paused = new TestPlans().wave(create(NETWORK)).paused("PAUSE file: migration").build();

        assertEquals(Outcome.INVALID, executor().apply(invalid, StopSignal.NEVER).outcome());
        ApplyResult b = executor().apply(blocked, StopSignal.NEVER);
        assertEquals(Outcome.BLOCKED, b.outcome());
        assertTrue(b.error().orElseThrow().contains("acme/assets/bucket: data-bearing"));
        ApplyResult p = executor().apply(paused, StopSignal.NEVER);
        assertEquals(Outcome.PAUSED, p.outcome());
        assertEquals("not applied: paused: PAUSE file: migration", p.error().orElseThrow());
        assertTrue(driver.calls.isEmpty());
    }

    @Test
    void replacesByDeletingThenCreating() {
        var plan = new TestPlans().wave(replace(WEB, live(WEB))).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(List.of("delete " + WEB.address(), "create " + WEB.address()), driver.calls);
        assertEquals(Action.REPLACE, result.steps().get(0).action());
    }

    @Test
    void aFailedDeleteKeepsWhatItDependsOn() {
        driver.failWith(WEB.address(), () -> new IllegalStateException("service still draining"), 1);
        var plan = new TestPlans()
                .wave(delete(live(WEB)))
                .wave(delete(live(CLUSTER)))
                .wave(delete(live(NETWORK)))
                .build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(List.of("delete " + WEB.address()), driver.calls);
        assertEquals("skipped: depends on acme/web/service, which failed", byAddress(result).get(NETWORK.address()).message());
    }

    @Test
    void stampsTheRevisionOnTheClusterLastAfterAFullySuccessfulApply() {
        ObservedResource cluster = live(CLUSTER);
        var plan = new TestPlans()
                .wave(noop(CLUSTER, cluster))
                .wave(update(WEB, live(WEB)))
                .build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(List.of("acme/cluster/cluster@abc123"), stamped);
        assertEquals(1, result.steps().size(), "no-ops are not steps");
    }

    @Test
    void stampsAnUnchangedEnvironmentWhoseRevisionMoved() {
        var plan = new TestPlans().wave(noop(CLUSTER, live(CLUSTER))).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.NO_CHANGES, result.outcome());
        assertEquals(List.of("acme/cluster/cluster@abc123"), stamped);
    }

    @Test
    void doesNotStampARevisionTheClusterAlreadyCarries() {
        Map<String, String> tags = new java.util.HashMap<>(CLUSTER.tags());
        tags.put(ObservedResource.REVISION, "abc123");
        var plan = new TestPlans().wave(noop(CLUSTER, live(CLUSTER, tags))).build();

        executor().apply(plan, StopSignal.NEVER);

        assertTrue(stamped.isEmpty());
    }

    @Test
    void runsAWaveInParallelUpToTheBound() throws Exception {
        settings = settings.withParallelism(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        java.util.concurrent.CountDownLatch twoIn = new java.util.concurrent.CountDownLatch(2);
        java.util.function.Consumer<io.terrace.reconciler.engine.DriverContext> hook = ctx -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoIn.countDown();
            try {
                twoIn.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
        };
        Resource[] many = new Resource[4];
        for (int i = 0; i < many.length; i++) {
            many[i] = resource(Component.ASSETS, "bucket" + i, ResourceType.S3_BUCKET);
            driver.during.put(many[i].address(), hook);
        }
        var plan = new TestPlans().wave(create(many[0]), create(many[1]), create(many[2]), create(many[3])).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(2, peak.get());
        assertEquals(List.of(many[0].address(), many[1].address(), many[2].address(), many[3].address()),
                result.steps().stream().map(Step::address).toList(), "steps are reported in plan order");
    }

    private static RuntimeException throttled() {
        return AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                .message("Rate exceeded").build();
    }

    private static RuntimeException serverError() {
        return AwsServiceException.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").errorMessage("try again").build())
                .message("Service unavailable").build();
    }

    @Test
    void resolvesLiveReferencesFromWhatEarlierWavesReturnedBeforeCallingTheDriver() {
        Resource db = resource(Component.DATABASE, "cluster", ResourceType.RDS_CLUSTER, NETWORK.address());
        ObservedResource oldDb = new ObservedResource(db.address(), db.type(), "old",
                Map.of("endpoint", "old.endpoint", "masterUserSecretArn", "arn:old"), live(db).tags());
        Resource task = new Resource(WEB_TASK.address(), WEB_TASK.type(), WEB_TASK.component(), WEB_TASK.name(),
                Map.of("environment", Map.of("DB_HOST", LiveRef.to(db.address(), "endpoint"), "PLAIN", "x"),
                        "secrets", Map.of("DB_PASSWORD", new LiveRef(db.address(), "masterUserSecretArn", ":password::"))),
                WEB_TASK.tags(), java.util.Set.of(db.address()));
        ObservedResource oldTask = live(task);
        driver.createdExtras.put(db.address(), Map.of("endpoint", "new.endpoint", "masterUserSecretArn", "arn:new"));
        var plan = new TestPlans()
                .wave(replace(db, oldDb))
                .wave(update(task, oldTask))
                .build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), result.error().orElse(""));
        Resource given = driver.received.get(task.address());
        assertEquals(Map.of("DB_HOST", "new.endpoint", "PLAIN", "x"), given.attributes().get("environment"));
        assertEquals(Map.of("DB_PASSWORD", "arn:new:password::"), given.attributes().get("secrets"));
    }

    @Test
    void aReferenceToADependencyWithNoValueFailsTheStepWithoutCallingTheDriver() {
        Resource db = resource(Component.DATABASE, "cluster", ResourceType.RDS_CLUSTER, NETWORK.address());
        Resource task = new Resource(WEB_TASK.address(), WEB_TASK.type(), WEB_TASK.component(), WEB_TASK.name(),
                Map.of("environment", Map.of("DB_HOST", LiveRef.to(db.address(), "endpoint"))),
                WEB_TASK.tags(), java.util.Set.of(db.address()));
        var plan = new TestPlans().wave(create(db)).wave(create(task)).build();

        ApplyResult result = executor().apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        assertTrue(byAddress(result).get(task.address()).message().contains("refers to " + db.address()),
                byAddress(result).get(task.address()).message());
        assertFalse(driver.received.containsKey(task.address()));
    }
}
