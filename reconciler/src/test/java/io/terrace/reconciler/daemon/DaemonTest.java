package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.ObservedResource;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.history.HistoryEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end on a real git repository, real Quartz, H2 and HTTP, with the in-memory
 * cloud standing in for AWS.
 */
class DaemonTest {

    @TempDir
    Path tmp;
    DaemonFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void fetchesOncePerPollWhateverTheNumberOfEnvironments() throws Exception {
        f = new DaemonFixture(tmp);
        IntStream.range(0, 100).forEach(i -> f.origin.write(path(name(i)), environment(name(i), "1.0.0")));
        f.origin.commit("100 environments");
        f.start();

        assertEquals(1, f.daemon.fetches(), "the first poll fetched once and reconciled all 100");
        assertEquals(100, f.daemon.statuses().all().stream().filter(s -> s.condition() == Condition.SYNCED).count());
        f.poll();
        f.poll();
        f.poll();

        assertEquals(4, f.daemon.fetches());
        assertTrue(f.get("/metrics").body().contains("terrace_git_fetches_total 4.0"), "fetch metric");
        assertTrue(f.daemon.statuses().all().stream().allMatch(s -> s.passes() == 1),
                "polls that found no new commit queued nothing");
    }

    @Test
    void aRestartObservesTheFleetInOneBatchNotOncePerPass() throws Exception {
        f = new DaemonFixture(tmp);
        IntStream.range(0, 20).forEach(i -> f.origin.write(path(name(i)), environment(name(i), "1.0.0")));
        f.origin.commit("20 environments");
        f.start();
        f.cloud.observes.clear();

        f.restart();

        assertEquals(20, f.daemon.statuses().all().stream().filter(s -> s.condition() == Condition.SYNCED).count());
        assertEquals(1, f.cloud.observes.size(), "one batched observe for the 20 start-up passes: " + f.cloud.observes);
        assertEquals(20, f.cloud.observes.get(0).size());
    }

    @Test
    void aStartUpObserveLongerThanTheDriftIntervalDelaysTheFirstSweepToOneIntervalAfterIt() throws Exception {
        f = new DaemonFixture(tmp);
        IntStream.range(0, 20).forEach(i -> f.origin.write(path(name(i)), environment(name(i), "1.0.0")));
        f.origin.commit("20 environments");
        f.start();
        f.http.close();
        f.daemon.close();
        f.cloud.observes.clear();
        Duration interval = Duration.ofMillis(500);
        CountDownLatch startUpObserving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong released = new java.util.concurrent.atomic.AtomicLong();
        f.cloud.beforeObserve(() -> {
            if (first.getAndSet(false)) {
                startUpObserving.countDown();
                hold(release);
            }
        });
        ch.qos.logback.classic.Logger daemonLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("terrace.daemon");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        daemonLog.addAppender(logged);
        Thread releaser = new Thread(() -> {
            hold(startUpObserving);
            // The start-up observe ends once the sweep has come due during it twice.
            await().atMost(Duration.ofSeconds(20)).until(() -> logged.list.stream()
                    .filter(e -> "drift-sweep-skipped".equals(e.getMessage())).count() >= 2);
            released.set(System.nanoTime());
            release.countDown();
        });
        releaser.start();

        try {
            f.start(c -> c.withDriftInterval(interval));
        } finally {
            daemonLog.detachAppender(logged);
        }

        assertEquals(1, f.cloud.observes.size(),
                "no sweep observed the fleet while the start-up observe ran, and every start-up pass used it: "
                        + f.cloud.observes);
        assertEquals(20, f.cloud.observes.get(0).size());
        assertEquals(0, f.daemon.sweeps());
        assertEquals(20, f.daemon.statuses().all().stream().filter(s -> s.condition() == Condition.SYNCED).count());
        await().atMost(Duration.ofSeconds(10)).until(() -> f.cloud.observes.size() >= 2);
        Duration toFirstSweep = Duration.ofNanos(System.nanoTime() - released.get());
        assertEquals(20, f.cloud.observes.get(1).size(), "the sweep observes the fleet in one batch");
        assertTrue(toFirstSweep.compareTo(interval.multipliedBy(8).dividedBy(10)) >= 0,
                "the first sweep is due one interval (jittered by 10 %) after the start-up observe, not before: "
                        + toFirstSweep);
    }

    @Test
    void aRestartedDaemonStartsFromKeptDetailsAndObservesAfreshOnlyWhatItApplies() throws Exception {
        f = new DaemonFixture(tmp);
        for (String env : List.of("alpha", "bravo", "charlie")) {
            f.origin.write(path(env), environment(env, "1.0.0"));
        }
        f.origin.commit("three environments");
        f.start();
        f.http.close();
        f.daemon.close();
        f.origin.write(path("bravo"), environment("bravo", "1.1.0"));
        f.origin.commit("bravo 1.1.0, while the daemon was down");
        f.cloud.observes.clear();
        f.cloud.freshObserves.clear();

        f.start();

        assertEquals(List.of("alpha", "bravo", "charlie"), f.cloud.observes.get(0).stream().sorted().toList(),
                "one start-up observe of the fleet");
        assertEquals(List.of(List.of("bravo")), f.cloud.freshObserves,
                "the start-up observe takes kept details; only the pass that applies reads every detail afresh");
        assertEquals(3, f.daemon.statuses().all().stream().filter(s -> s.condition() == Condition.SYNCED).count());
    }

    @Test
    void queuesOnlyTheEnvironmentsWhoseFilesChanged() throws Exception {
        f = new DaemonFixture(tmp);
        for (String env : List.of("alpha", "bravo", "charlie", "delta")) {
            f.origin.write(path(env), environment(env, "1.0.0"));
        }
        f.origin.commit("four environments");
        f.start();

        f.origin.write(path("bravo"), environment("bravo", "1.1.0"));
        f.origin.write(path("echo"), environment("echo", "1.0.0"));
        f.origin.delete(path("delta"));
        String commit = f.origin.commit("bravo 1.1.0, new echo, delta removed");
        ch.qos.logback.classic.Logger daemonLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("terrace.daemon");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        daemonLog.addAppender(logged);
        PollResult poll;
        try {
            poll = f.poll();
        } finally {
            daemonLog.detachAppender(logged);
        }

        assertEquals(Set.of("bravo", "delta", "echo"), poll.enqueued());
        assertEquals(1, f.status("alpha").passes());
        assertEquals(1, f.status("charlie").passes());
        assertEquals(Condition.SYNCED, f.status("bravo").condition());
        assertEquals(commit, f.status("bravo").lastAppliedRevision().orElseThrow());
        assertEquals(Condition.SYNCED, f.status("echo").condition());
        assertEquals(Condition.OUT_OF_SYNC, f.status("delta").condition(), "deleting a file gives a blocked plan");
        assertTrue(f.status("delta").reason().startsWith("blocked:"), f.status("delta").reason());
        // Its log line names the first blocked change.
        assertTrue(logged.list.stream().anyMatch(e -> "reconcile".equals(e.getMessage()) && e.getKeyValuePairs() != null
                && e.getKeyValuePairs().stream().anyMatch(kv -> "env".equals(kv.key) && "delta".equals(kv.value))
                && e.getKeyValuePairs().stream().anyMatch(kv -> "error".equals(kv.key)
                        && String.valueOf(kv.value).contains("change(s) blocked, first delta/"))),
                () -> logged.list.stream().map(e -> e.getMessage() + " " + e.getKeyValuePairs()).toList().toString());

        f.origin.write("README.md", "how to change an environment\n");
        f.origin.commit("docs only");
        assertEquals(Set.of(), f.poll().enqueued(), "files outside environments/ concern no environment");
    }

    @Test
    void pauseCommittedDuringAnApplyStopsItBeforeItsNextWave() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("other"), environment("other", "1.0.0"));
        f.origin.commit("one environment");
        f.start();
        CountDownLatch atSecondWave = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.cloud.beforeWave((env, wave) -> {
            if (env.equals("acme") && wave == 1 && atSecondWave.getCount() > 0) {
                atSecondWave.countDown();
                hold(release);
            }
        });

        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("new environment acme");
        f.daemon.pollNow();
        assertTrue(atSecondWave.await(30, TimeUnit.SECONDS), "acme's apply reached its second wave");
        f.origin.write("PAUSE", "incident 42: database failover in progress\nsee the incident channel\n");
        f.origin.commit("pause everything");
        f.daemon.pollNow();
        await().until(() -> f.daemon.repository().repositoryPause().isPresent());
        release.countDown();
        f.awaitIdle();

        ApplyResult stopped = f.cloud.applies("acme").get(0);
        assertEquals(ApplyResult.Outcome.STOPPED, stopped.outcome());
        Set<String> applied = stopped.steps().stream().map(ApplyResult.Step::address).collect(Collectors.toSet());
        assertEquals(applied, f.cloud.resources.keySet().stream()
                .filter(a -> a.startsWith("acme/")).collect(Collectors.toSet()), "only the first wave was applied");
        assertTrue(applied.contains("acme/network/stack") && !applied.contains("acme/cluster/cluster"), applied.toString());
        EnvironmentStatus status = f.status("acme");
        assertEquals(Condition.PAUSED, status.condition());
        assertTrue(status.reason().startsWith("paused: PAUSE file: incident 42: database failover in progress"),
                status.reason());
        assertEquals(1, f.cloud.applies("acme").size(), "the pass after the PAUSE commit planned and did not apply");
        assertEquals("stopped", f.daemon.history().recent("acme", 10).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.APPLY).findFirst().orElseThrow().outcome());

        f.origin.delete("PAUSE");
        String resumed = f.origin.commit("resume");
        f.poll();
        assertEquals(Condition.SYNCED, f.status("acme").condition());
        assertEquals(ApplyResult.Outcome.APPLIED, f.cloud.applies("acme").get(1).outcome());
        assertTrue(f.cloud.resources.containsKey("acme/cdn/distribution"));
        assertEquals(f.status("acme").revision(), f.status("acme").lastAppliedRevision().orElseThrow());
        assertFalse(resumed.isEmpty());
    }

    @Test
    void pausedEnvironmentsArePlannedAndReportedButNotApplied() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("frozen"), environment("frozen", "1.0.0", "paused: true"));
        f.origin.write(path("live"), environment("live", "1.0.0"));
        f.origin.commit("two environments, one paused");
        f.start();

        assertEquals(List.of(), f.cloud.applies("frozen"));
        JsonNode frozen = f.json("/api/environments/frozen");
        assertEquals("paused", frozen.path("status").asText());
        assertEquals("paused: true in spec", frozen.path("paused").asText());
        assertTrue(frozen.path("pendingChanges").asInt() > 0, "the plan is still computed and shown");
        assertEquals("paused", frozen.path("history").get(0).path("outcome").asText());
        assertEquals(Condition.SYNCED, f.status("live").condition());

        f.origin.write("PAUSE", "Black Friday change freeze\n");
        f.origin.write(path("live"), environment("live", "2.0.0"));
        f.origin.commit("freeze, and a change that must wait");
        f.poll();

        assertEquals(1, f.cloud.applies("live").size(), "no apply while PAUSE exists");
        JsonNode live = f.json("/api/environments/live");
        assertEquals("paused", live.path("status").asText());
        assertTrue(live.path("reason").asText().startsWith("paused: PAUSE file: Black Friday change freeze"),
                live.path("reason").asText());
        assertEquals("registry.example.com/acme/app:1.0.0",
                f.cloud.resources.get("live/web/task").attributes().get("image"));
        assertTrue(live.path("pending").toString().contains("live/web/task"), live.toString());

        f.sweep();
        JsonNode drift = f.json("/api/drift");
        for (JsonNode e : drift.path("environments")) {
            assertEquals("PAUSE file: Black Friday change freeze", e.path("pausedReason").asText(), e.toString());
            assertFalse(e.path("correct").asBoolean(), "nothing is corrected while paused");
        }
    }

    @Test
    void invalidSpecShowsFileAndLineWhileTheOthersReconcile() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("good"), environment("good", "1.0.0"));
        f.origin.write(path("bad"), TestSpecs.invalid("bad"));
        f.origin.commit("one good, one bad");
        f.start();

        JsonNode bad = f.json("/api/environments/bad");
        assertEquals("invalid", bad.path("status").asText());
        String diagnostic = bad.path("diagnostics").get(0).path("text").asText();
        assertTrue(diagnostic.matches("environments/bad\\.yaml:10:\\d+: .*max.*"), diagnostic);
        assertFalse(f.cloud.environments().contains("bad"), "nothing applied for an invalid spec");
        assertEquals("synced", f.json("/api/environments/good").path("status").asText());
        assertTrue(f.cloud.environments().contains("good"));
        assertEquals(404, f.get("/api/environments/nobody").statusCode());
    }

    @Test
    void failingEnvironmentBacksOffExponentiallyWithoutStallingOthers() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("flaky"), environment("flaky", "1.0.0"));
        f.origin.write(path("steady"), environment("steady", "1.0.0"));
        f.origin.commit("two environments");
        f.cloud.failNext("flaky", 2);
        f.start();

        assertEquals(Condition.FAILED, f.status("flaky").condition());
        assertEquals(f.clock.instant().plusSeconds(30), f.status("flaky").nextAttemptAt().orElseThrow());
        assertEquals(Condition.SYNCED, f.status("steady").condition());

        f.sweep();
        assertEquals(1, f.cloud.applies("flaky").size(), "within the back-off delay a sweep does not retry");

        f.clock.advance(Duration.ofSeconds(31));
        f.sweep();
        assertEquals(2, f.cloud.applies("flaky").size());
        assertEquals(2, f.status("flaky").failures());
        assertEquals(f.clock.instant().plusSeconds(60), f.status("flaky").nextAttemptAt().orElseThrow(), "doubled");

        f.clock.advance(Duration.ofSeconds(61));
        f.sweep();
        assertEquals(Condition.SYNCED, f.status("flaky").condition());
        assertEquals(0, f.status("flaky").failures());
        assertEquals(2.0, f.daemon.metrics().value("terrace.failures", "environment", "flaky"));
    }

    @Test
    void newRevisionIsTriedAtOnceEvenWhileBackingOff() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("flaky"), environment("flaky", "1.0.0"));
        f.origin.commit("one environment");
        f.cloud.failNext("flaky", 1);
        f.start();
        assertEquals(Condition.FAILED, f.status("flaky").condition());

        f.origin.write(path("flaky"), environment("flaky", "1.0.1"));
        f.origin.commit("the fix");
        f.poll();

        assertEquals(Condition.SYNCED, f.status("flaky").condition());
    }

    @Test
    void everyPlanAndApplyIsRecordedInTheHistory() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        String commit = f.origin.commit("acme");
        f.start();

        List<HistoryEntry> entries = f.daemon.history().recent("acme", 10);
        assertEquals(2, entries.size());
        HistoryEntry apply = entries.get(0);
        HistoryEntry plan = entries.get(1);
        assertEquals(HistoryEntry.Kind.APPLY, apply.kind());
        assertEquals("applied", apply.outcome());
        assertEquals(commit, apply.revision());
        assertEquals(f.daemon.config().nodeId(), apply.nodeId());
        assertTrue(apply.count("create") > 10, "every resource created");
        assertEquals(HistoryEntry.Kind.PLAN, plan.kind());
        assertEquals("changes", plan.outcome());
        assertEquals("change", plan.trigger());
        assertEquals(apply.count("create"), plan.count("create"));

        JsonNode api = f.json("/api/environments/acme");
        assertEquals(commit, api.path("lastAppliedRevision").asText());
        assertEquals(commit, api.path("lastAttemptedRevision").asText());
        assertEquals("applied", api.path("history").get(0).path("outcome").asText());
    }

    @Test
    void driftIsCorrectedUnderDriftCorrectAndOnlyReportedUnderDriftReport() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("fixed"), environment("fixed", "1.0.0"));
        f.origin.write(path("watched"), environment("watched", "1.0.0", "drift: report"));
        f.origin.commit("two environments");
        f.start();
        f.cloud.drift("fixed/web/task", "image", "registry.example.com/evil:1");
        f.cloud.drift("watched/web/task", "cpu", 4096);
        int observesBefore = f.cloud.observes.size();

        f.sweep();

        // One batched observe for the whole sweep; the correcting pass observes its environment
        // afresh before it applies (no apply writes from details a sweep kept), the reporting one does not.
        assertEquals(observesBefore + 2, f.cloud.observes.size(), "one batched observe for the whole sweep");
        assertEquals(Set.of("fixed", "watched"), Set.copyOf(f.cloud.observes.get(observesBefore)));
        assertEquals(List.of(List.of("fixed")), f.cloud.freshObserves.subList(f.cloud.freshObserves.size() - 1,
                f.cloud.freshObserves.size()));
        assertEquals("registry.example.com/acme/app:1.0.0",
                f.cloud.resources.get("fixed/web/task").attributes().get("image"), "corrected");
        assertEquals(4096, f.cloud.resources.get("watched/web/task").attributes().get("cpu"), "left alone");
        assertEquals(Condition.SYNCED, f.status("fixed").condition());
        assertEquals(Condition.DRIFTED, f.status("watched").condition());
        assertEquals("watched/web/task", f.status("watched").drifted().get(0).address());

        JsonNode drift = f.json("/api/drift");
        JsonNode fixed = entry(drift, "fixed");
        JsonNode watched = entry(drift, "watched");
        assertEquals("drifted", fixed.path("status").asText());
        assertTrue(fixed.path("correct").asBoolean());
        assertEquals("report", watched.path("policy").asText());
        assertFalse(watched.path("correct").asBoolean());
        assertEquals("cpu", watched.path("resources").get(0).path("attributes").get(0).path("path").asText());
        try (var reports = Files.list(f.data.resolve("reports"))) {
            List<String> names = reports.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("drift-20250601T120000Z.json", "drift-20250601T120000Z.md"), names);
        }
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_drifted_resources{component=\"web\",environment=\"watched\"} 1.0"), metrics);
        assertTrue(metrics.contains("terrace_drifted_resources{component=\"web\",environment=\"fixed\"} 0.0"), metrics);
    }

    @Test
    void aRevisionAnApplyDidNotRecordIsRecordedByTheNextPass() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        String commit = f.origin.commit("acme");
        f.start();
        // As a daemon killed after the last wave and before the stamp leaves it.
        f.cloud.resources.computeIfPresent("acme/cluster/cluster", (a, r) -> {
            Map<String, String> tags = new HashMap<>(r.tags());
            tags.remove(ObservedResource.REVISION);
            return new ObservedResource(a, r.type(), r.id(), r.attributes(), tags);
        });

        f.sweep();

        assertEquals(commit, f.cloud.resources.get("acme/cluster/cluster").tags().get(ObservedResource.REVISION));
        assertEquals(ApplyResult.Outcome.NO_CHANGES, f.cloud.applies("acme").get(1).outcome(), "nothing else applied");
        assertEquals(List.of("no-changes", "no-changes"), f.daemon.history().recent("acme", 2).stream()
                .map(HistoryEntry::outcome).toList());
        f.sweep();
        assertEquals(2, f.cloud.applies("acme").size(), "once recorded, nothing more to apply");
    }

    @Test
    void slowEnvironmentNeverDelaysAnotherAndNeverRunsTwiceAtOnce() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("fast"), environment("fast", "1.0.0"));
        f.origin.commit("fast");
        f.start();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean inSlow = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        f.cloud.beforeWave((env, wave) -> {
            if (env.equals("slow") && wave == 0) {
                if (!inSlow.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                held.countDown();
                hold(release);
                inSlow.set(false);
            }
        });

        f.origin.write(path("slow"), environment("slow", "1.0.0"));
        f.origin.commit("slow");
        f.daemon.pollNow();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        f.origin.write(path("fast"), environment("fast", "1.1.0"));
        f.origin.write(path("slow"), environment("slow", "1.1.0"));
        String change = f.origin.commit("change both");
        f.daemon.pollNow();
        f.daemon.sweepNow();
        await().until(() -> f.daemon.statuses().find("fast")
                .flatMap(EnvironmentStatus::lastAppliedRevision).filter(change::equals).isPresent());
        assertTrue(inSlow.get(), "fast was applied while slow was still held");

        release.countDown();
        f.awaitIdle();
        assertFalse(overlapped.get(), "slow was never reconciled twice at the same time");
        assertEquals(Condition.SYNCED, f.status("slow").condition());
    }

    @Test
    void shutdownLetsTheRunningApplyFinishItsWaveThenStops() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("other"), environment("other", "1.0.0"));
        f.origin.commit("one environment");
        f.start();
        CountDownLatch atSecondWave = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.cloud.beforeWave((env, wave) -> {
            if (env.equals("acme") && wave == 1) {
                atSecondWave.countDown();
                hold(release);
            }
        });
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("acme");
        f.daemon.pollNow();
        assertTrue(atSecondWave.await(30, TimeUnit.SECONDS));

        Thread stopper = new Thread(f.daemon::close);
        stopper.start();
        await().until(() -> f.daemon.stopping().isPresent());
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(30));

        assertFalse(stopper.isAlive(), "close() returned once the apply stopped");
        ApplyResult r = f.cloud.applies("acme").get(0);
        assertEquals(ApplyResult.Outcome.STOPPED, r.outcome());
        assertEquals("daemon shutting down", r.error().orElseThrow());
    }

    @Test
    void restartResumesAStoppedApplyFromLiveStateWithoutCreatingTwice() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("steady"), environment("steady", "1.0.0"));
        String steady = f.origin.commit("steady");
        f.start();
        CountDownLatch atSecondWave = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.cloud.beforeWave((env, wave) -> {
            if (env.equals("acme") && wave == 1 && atSecondWave.getCount() > 0) {
                atSecondWave.countDown();
                hold(release);
            }
        });
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        String acme = f.origin.commit("acme");
        f.daemon.pollNow();
        assertTrue(atSecondWave.await(30, TimeUnit.SECONDS));
        Thread stopper = new Thread(f.daemon::close);
        stopper.start();
        await().until(() -> f.daemon.stopping().isPresent());
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        int createdBefore = f.cloud.applies("acme").get(0).steps().size();

        f.restart();

        assertEquals(Condition.SYNCED, f.status("acme").condition());
        assertEquals(acme, f.status("acme").lastAppliedRevision().orElseThrow());
        List<ApplyResult> applies = f.cloud.applies("acme");
        assertEquals(ApplyResult.Outcome.APPLIED, applies.get(1).outcome());
        Set<String> first = applies.get(0).steps().stream().map(ApplyResult.Step::address).collect(Collectors.toSet());
        Set<String> second = applies.get(1).steps().stream().map(ApplyResult.Step::address).collect(Collectors.toSet());
        assertTrue(createdBefore > 0 && first.stream().noneMatch(second::contains),
                "the second apply created only what the first had not: " + first + " / " + second);
        assertEquals(steady, f.status("steady").lastAppliedRevision().orElseThrow(), "unchanged, found in sync");
        assertEquals(1, f.cloud.applies("steady").size(), "nothing to do for an environment already in sync");
    }

    @Test
    void notReadyUntilTheRepositoryCanBeFetched() throws Exception {
        f = new DaemonFixture(tmp);
        f.start(c -> c.withRepo(tmp.resolve("no-such-repository").toString()));

        assertEquals(503, f.get("/readyz").statusCode());
        assertEquals(200, f.get("/healthz").statusCode());
        assertTrue(f.daemon.lastPoll().orElseThrow().error().orElseThrow().startsWith("cannot fetch main from"));
        assertTrue(f.get("/metrics").body().contains("terrace_git_fetch_failures_total 1.0"));
    }

    private static JsonNode entry(JsonNode report, String name) {
        for (JsonNode e : report.path("environments")) {
            if (e.path("environment").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " in " + report);
    }

    private static String name(int i) {
        return String.format("env-%03d", i);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
