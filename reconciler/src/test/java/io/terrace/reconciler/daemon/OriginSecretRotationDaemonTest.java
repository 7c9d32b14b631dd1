package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.HistoryEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's scheduled rotation of origin secrets with real Quartz, git and history, and a
 * recording rotator standing in for AWS: an old secret is rotated once and recorded, a young one
 * only described, a paused environment not even described, a failed rotation recorded as failed
 * and retried at the next check, and none scheduled when off. Each test waits for the checks to
 * have run (their counter), never for a while. Ages are read on the daemon's (fixed) clock; checks
 * fire every {@link #MAX_AGE} of wall time (Quartz's clock, which the fixture does not drive).
 */
class OriginSecretRotationDaemonTest {

    private static final Duration MAX_AGE = Duration.ofMillis(200);

    @TempDir
    Path tmp;
    DaemonFixture f;
    final Recording rotator = new Recording();

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** Secrets by environment, changed when rotated; failing environments fail their next rotations. */
    static final class Recording implements OriginSecretRotator {
        Clock clock;
        final Map<String, Instant> changed = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> described = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> rotated = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

        @Override
        public Optional<Described> describe(String env) {
            described.computeIfAbsent(env, k -> new AtomicInteger()).incrementAndGet();
            return Optional.ofNullable(changed.get(env)).map(t -> new Described(t, false));
        }

        @Override
        public void rotate(String env) {
            rotated.computeIfAbsent(env, k -> new AtomicInteger()).incrementAndGet();
            AtomicInteger fail = failures.get(env);
            if (fail != null && fail.getAndDecrement() > 0) {
                throw new IllegalStateException("stack terrace-" + env + "-network ended in UPDATE_ROLLBACK_COMPLETE");
            }
            changed.put(env, clock.instant());
        }

        int described(String env) {
            return described.getOrDefault(env, new AtomicInteger()).get();
        }

        int rotated(String env) {
            return rotated.getOrDefault(env, new AtomicInteger()).get();
        }
    }

    private void start(String... environments) throws Exception {
        f = new DaemonFixture(tmp);
        rotator.clock = f.clock;
        for (String env : environments) {
            f.origin.write(path(env), environment(env, "1.0.0"));
        }
        f.origin.commit("environments");
        f.originSecrets = rotator;
        f.start(c -> c.withOriginSecretMaxAge(Optional.of(MAX_AGE)));
    }

    /** {@code terrace_origin_secret_checks_total{environment=env,result=result}}. */
    private double checks(String env, String result) {
        return f.daemon.metrics().value("terrace.origin.secret.checks", "environment", env, "result", result);
    }

    private List<HistoryEntry> rotations(String env) {
        return f.daemon.recentHistory(env, 50).stream().filter(e -> e.kind() == HistoryEntry.Kind.ROTATION).toList();
    }

    @Test
    void anOldSecretIsRotatedOnceAndAYoungOneOnlyDescribed() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        rotator.changed.put("old", now.minus(Duration.ofDays(31)));
        rotator.changed.put("young", now);
        start("old", "young");

        await().atMost(Duration.ofSeconds(20)).until(() -> rotator.described("young") >= 3 && rotator.described("old") >= 3);
        assertEquals(1, rotator.rotated("old"), "rotated once: then it is young");
        assertEquals(0, rotator.rotated("young"));
        List<HistoryEntry> old = rotations("old");
        assertEquals(1, old.size(), old::toString);
        assertEquals("rotate-origin-secret", old.get(0).trigger());
        assertEquals("succeeded", old.get(0).outcome());
        assertEquals(List.of(new HistoryEntry.Action("old/network/origin-secret", "rotate", "succeeded")), old.get(0).actions());
        assertEquals(List.of(), rotations("young"));
        assertEquals(1.0, checks("old", "rotated"));
        assertEquals(0.0, checks("young", "rotated"));
        assertTrue(checks("young", "fresh") >= 3, "every check of the young one counted as fresh");
        assertTrue(f.daemon.nextOriginSecretCheck().isPresent(), "on: the check is scheduled");
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_origin_secret_rotations_total{result=\"succeeded\"} 1.0"), metrics);
        assertTrue(metrics.contains("terrace_origin_secret_checks_total{environment=\"old\",result=\"rotated\"} 1.0"),
                metrics);
        var api = java.util.stream.StreamSupport.stream(f.json("/api/environments/old").path("history").spliterator(), false)
                .filter(e -> e.path("kind").asText().equals("rotation")).findFirst().orElseThrow();
        assertEquals("rotation", api.path("kind").asText(), api.toString());
        assertEquals("rotate-origin-secret", api.path("trigger").asText(), api.toString());
        assertEquals(Condition.SYNCED, f.status("old").condition(), "a check is no pass: the status stays");
    }

    @Test
    void aPausedEnvironmentIsNotEvenDescribed() throws Exception {
        rotator.changed.put("frozen", Instant.EPOCH);
        rotator.changed.put("open", Instant.EPOCH);
        f = new DaemonFixture(tmp);
        rotator.clock = f.clock;
        f.origin.write(path("frozen"), environment("frozen", "1.0.0", "paused: true"));
        f.origin.write(path("open"), environment("open", "1.0.0"));
        f.origin.commit("environments");
        f.originSecrets = rotator;
        f.start(c -> c.withOriginSecretMaxAge(Optional.of(MAX_AGE)));

        // The checks ran and held it: a positive sign, not a pause.
        await().atMost(Duration.ofSeconds(20)).until(() -> checks("frozen", "held") >= 3 && rotator.described("open") >= 3);
        assertEquals(0, rotator.described("frozen"), "no AWS call for a paused environment");
        assertEquals(0.0, checks("frozen", "fresh") + checks("frozen", "rotated") + checks("frozen", "failed"));
        assertEquals(List.of(), rotations("frozen"));
        assertEquals(0, rotator.rotated("frozen"));
        assertEquals(1, rotator.rotated("open"));
    }

    @Test
    void aFailedRotationIsRecordedAsFailedAndRetriedAtTheNextCheck() throws Exception {
        rotator.changed.put("flaky", Instant.EPOCH);
        rotator.failures.put("flaky", new AtomicInteger(1));
        start("flaky");

        await().atMost(Duration.ofSeconds(20)).until(() -> rotations("flaky").size() >= 2);
        List<HistoryEntry> entries = rotations("flaky");
        // Newest first.
        assertEquals("succeeded", entries.get(0).outcome());
        assertEquals("failed", entries.get(1).outcome());
        assertEquals(Optional.of("stack terrace-flaky-network ended in UPDATE_ROLLBACK_COMPLETE"), entries.get(1).error());
        assertEquals(2, rotator.rotated("flaky"));
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_origin_secret_rotations_total{result=\"failed\"} 1.0"), metrics);
        assertTrue(metrics.contains("terrace_origin_secret_rotations_total{result=\"succeeded\"} 1.0"), metrics);
        assertEquals(1.0, checks("flaky", "failed"));
        assertEquals(1.0, checks("flaky", "rotated"));
    }

    @Test
    void offNeverDescribes() throws Exception {
        rotator.changed.put("any", Instant.EPOCH);
        f = new DaemonFixture(tmp);
        rotator.clock = f.clock;
        f.origin.write(path("any"), environment("any", "1.0.0"));
        f.origin.commit("environments");
        f.originSecrets = rotator;
        f.start(c -> c.withOriginSecretMaxAge(Optional.empty()));
        // The daemon is up, past scheduling its jobs (done before start returns), and its first poll
        // has run the environment's pass: a check would be scheduled by now, and none is.
        assertEquals(Condition.SYNCED, f.status("any").condition());
        assertEquals(Optional.empty(), f.daemon.nextOriginSecretCheck(), "off: no check scheduled");
        f.sweep();
        assertEquals(0, rotator.described("any"));
        assertEquals(0.0, checks("any", "held") + checks("any", "fresh") + checks("any", "rotated")
                + checks("any", "failed"), "no check ran");
    }
}
