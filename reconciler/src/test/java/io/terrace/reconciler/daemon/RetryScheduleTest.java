package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries of a failing environment run at the back-off's times, however early their timer fires. */
class RetryScheduleTest {

    @TempDir
    Path tmp;
    PassBench bench;

    @AfterEach
    void stop() {
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    void retriesRunAtTenTwentyFortySecondsEvenWhenTheirTimerFiresEarly() throws Exception {
        bench = new PassBench(tmp, HistoryStore.openEmbedded(tmp.resolve("history"), java.time.Clock.systemUTC()), Map.of());
        bench.spec("flaky", environment("flaky", "1.0.0"));
        bench.cloud.failNext("flaky", 4);
        Instant start = bench.clock.instant();
        bench.pass("flaky", Trigger.CHANGE);

        List<Duration> ranAt = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EnvironmentStatus failed = bench.status("flaky");
            assertEquals(Condition.FAILED, failed.condition());
            Instant next = failed.nextAttemptAt().orElseThrow();
            int applies = bench.cloud.applies("flaky").size();

            // A timer a millisecond early: the pass must not run, and must not be lost either.
            bench.fireRetry(Duration.ofMillis(1));
            assertEquals(applies, bench.cloud.applies("flaky").size(), "no attempt before the back-off allows it");
            assertEquals(1, bench.retries.size(), "the early retry is scheduled again");
            assertEquals(next, bench.retries.get(0).at(), "for the time the back-off allows");
            assertEquals(next, bench.status("flaky").nextAttemptAt().orElseThrow(), "the API shows the true next attempt");
            assertFalse(bench.status("flaky").nextAttemptAt().get().isBefore(bench.clock.instant()));

            bench.fireRetry(Duration.ZERO);
            assertEquals(applies + 1, bench.cloud.applies("flaky").size(), "the retry ran at " + next);
            ranAt.add(Duration.between(start, bench.clock.instant()));
        }

        // Each retry starts its back-off from the failed attempt: 10 s, then 20 s and 40 s more.
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(70),
                Duration.ofSeconds(150)), ranAt);
        assertEquals(Condition.SYNCED, bench.status("flaky").condition(), "the fifth attempt succeeded");
        assertTrue(bench.status("flaky").nextAttemptAt().isEmpty());
        assertTrue(bench.retries.isEmpty(), "nothing left to retry");
        assertEquals(4.0, bench.metrics.value("terrace.failures", "environment", "flaky"));
    }

    @Test
    void aSweepDuringTheBackOffLeavesThePendingRetryAlone() throws Exception {
        bench = new PassBench(tmp, HistoryStore.openEmbedded(tmp.resolve("history"), java.time.Clock.systemUTC()), Map.of());
        bench.spec("flaky", environment("flaky", "1.0.0"));
        bench.cloud.failNext("flaky", 1);
        bench.pass("flaky", Trigger.CHANGE);
        Instant next = bench.status("flaky").nextAttemptAt().orElseThrow();

        bench.pass("flaky", Trigger.SWEEP);
        assertEquals(1, bench.retries.size(), "only the retry the failure asked for");
        assertEquals(next, bench.status("flaky").nextAttemptAt().orElseThrow());

        bench.fireRetry(Duration.ZERO);
        assertEquals(Condition.SYNCED, bench.status("flaky").condition());
    }

    @Test
    void delaysRoundUpToTheNextMillisecond() {
        assertEquals(10_001, Scheduling.millisUp(Duration.ofSeconds(10).plusNanos(1)));
        assertEquals(10_000, Scheduling.millisUp(Duration.ofSeconds(10)));
        assertEquals(0, Scheduling.millisUp(Duration.ofMillis(-5)));
    }
}
