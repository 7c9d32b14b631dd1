package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.engine.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon's first detail reads spread over its first interval ({@link DetailReads#waiting}):
 * who waits, until when, and what ends the wait early.
 */
class DetailReadsSpreadTest {

    private static final Duration INTERVAL = Duration.ofHours(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));

    @Test
    void eachEnvironmentWaitsUntilItsTurnWithinTheFirstInterval() {
        DetailReads details = DetailReads.every(INTERVAL, clock).spreadingFirstReads();
        List<String> fleet = IntStream.range(0, 1000).mapToObj(i -> "fleet-%04d".formatted(i)).toList();

        assertTrue(fleet.stream().allMatch(details::waiting), "every environment waits at the start");
        clock.advance(INTERVAL.dividedBy(4));
        long quarter = fleet.stream().filter(env -> !details.waiting(env)).count();
        // Names that differ in one digit get turns spread over the interval, not bunched together.
        assertTrue(quarter > 200 && quarter < 300, quarter + " of 1000 read in the first quarter");
        clock.advance(INTERVAL.dividedBy(2));
        long threeQuarters = fleet.stream().filter(env -> !details.waiting(env)).count();
        assertTrue(threeQuarters > 700 && threeQuarters < 800, threeQuarters + " of 1000 by three quarters");
        clock.advance(INTERVAL.dividedBy(4));
        assertTrue(fleet.stream().noneMatch(details::waiting), "none waits once the interval has passed");
    }

    @Test
    void aTurnIsTheSameOnEveryStartAndWithinTheInterval() {
        for (String env : List.of("acme-production", "blog-dev", "fleet-0001")) {
            Duration turn = DetailReads.turn(env, INTERVAL);
            assertEquals(turn, DetailReads.turn(env, INTERVAL));
            assertTrue(!turn.isNegative() && turn.compareTo(INTERVAL) < 0, env + ": " + turn);
        }
    }

    @Test
    void anEnvironmentReadFreshForgottenOrReadEndsItsWait() {
        DetailReads details = DetailReads.every(INTERVAL, clock).spreadingFirstReads();
        assertTrue(details.waiting("acme"));
        assertFalse(details.fresh(List.of("acme"), () -> details.waiting("acme")), "a fresh observe reads its details");
        assertTrue(details.waiting("acme"), "the fresh observe itself read nothing here");

        details.read("acme", "s3:bucket", "tags", () -> "settings");
        assertFalse(details.waiting("acme"), "read once: kept, then read again by the interval");

        details.forget("blog");
        assertFalse(details.waiting("blog"), "after an apply the next observe reads its details");
    }

    @Test
    void environmentsWithDetailsInTheDataFolderDoNotWait(@TempDir Path data) {
        Path file = data.resolve("detail-reads.jsonl");
        DetailReads first = DetailReads.keptIn(file, INTERVAL, clock);
        first.read("acme", "s3:bucket", "tags", () -> "settings");
        first.save();

        DetailReads restarted = DetailReads.keptIn(file, INTERVAL, clock).spreadingFirstReads();
        Set<String> waiting = new TreeSet<>();
        for (String env : List.of("acme", "blog")) {
            if (restarted.waiting(env)) {
                waiting.add(env);
            }
        }
        assertEquals(Set.of("blog"), waiting, "what the folder keeps is read when it falls due, the rest spread");
    }

    @Test
    void withoutSpreadingOrWithAZeroIntervalNothingWaits() {
        assertFalse(DetailReads.every(INTERVAL, clock).waiting("acme"));
        assertFalse(DetailReads.always().spreadingFirstReads().waiting("acme"));
    }
}
