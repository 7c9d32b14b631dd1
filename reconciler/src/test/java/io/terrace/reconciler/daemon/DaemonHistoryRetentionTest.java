package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryRetention;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --history-retention}: the drift sweep prunes the history it has kept longer than the
 * retention, on the daemon's clock; {@code forever} keeps everything.
 */
class DaemonHistoryRetentionTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

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
    void sweepPrunesPassesOlderThanTheRetention() throws Exception {
        String second = twoPassesTenDaysApartThenASweep35DaysLater(HistoryRetention.of(Duration.ofDays(30)));

        await().until(() -> startTimes().stream().noneMatch(START::equals));
        assertEquals(Set.of(START.plus(Duration.ofDays(10)), START.plus(Duration.ofDays(35))), Set.copyOf(startTimes()),
                "the first pass (35 days old) is gone; the one 25 days old and the sweep's stay");
        JsonNode api = f.json("/api/environments/acme");
        assertEquals(second, api.path("lastAppliedRevision").asText());
        List<String> shown = StreamSupport.stream(api.path("history").spliterator(), false)
                .map(e -> e.path("startedAt").asText()).toList();
        assertTrue(shown.contains("2025-06-11T12:00:00Z") && !shown.contains("2025-06-01T12:00:00Z"), shown.toString());
    }

    @Test
    void foreverKeepsEveryPass() throws Exception {
        twoPassesTenDaysApartThenASweep35DaysLater(HistoryRetention.FOREVER);
        // The sweep job is never run twice at once: once a second sweep is done, the first
        // one's pruning is done too.
        f.sweep();

        assertEquals(Set.of(START, START.plus(Duration.ofDays(10)), START.plus(Duration.ofDays(35))),
                Set.copyOf(startTimes()));
    }

    @Test
    void sweepPrunesReportsOlderThanTheRetention() throws Exception {
        sweepsAtDays(HistoryRetention.of(Duration.ofDays(30)), 0, 10, 35);

        await().until(() -> !reports().contains("drift-20250601T120000Z.json"));
        assertEquals(Set.of("drift-20250611T120000Z.json", "drift-20250611T120000Z.md",
                "drift-20250706T120000Z.json", "drift-20250706T120000Z.md", "notes.txt"), reports(),
                "the report of day 0 (35 days old) is gone, both files of it; the others and a stray file stay");
    }

    @Test
    void theNewestReportStaysHoweverOld() throws Exception {
        sweepsAtDays(HistoryRetention.of(Duration.ofDays(30)), 0, 10);
        f.clock.advance(Duration.ofDays(100));
        f.sweep();
        await().until(() -> reports().size() == 3);

        assertEquals(Set.of("drift-20250919T120000Z.json", "drift-20250919T120000Z.md", "notes.txt"), reports());
        assertTrue(f.daemon.reports().latestJson().orElseThrow().contains("2025-09-19T12:00:00Z"));
    }

    @Test
    void foreverKeepsEveryReport() throws Exception {
        sweepsAtDays(HistoryRetention.FOREVER, 0, 10, 35);
        f.sweep();

        assertEquals(9, reports().size(), reports().toString());
    }

    /** Sweeps on the given days after the start, with a stray file beside the reports. */
    private void sweepsAtDays(HistoryRetention retention, int... days) throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("acme 1.0.0");
        f.start(c -> c.withHistoryRetention(retention));
        java.nio.file.Files.createDirectories(f.data.resolve("reports"));
        java.nio.file.Files.writeString(f.data.resolve("reports/notes.txt"), "kept by hand\n");
        int today = 0;
        for (int day : days) {
            f.clock.advance(Duration.ofDays(day - today));
            today = day;
            f.sweep();
        }
    }

    private Set<String> reports() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(f.data.resolve("reports"))) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** acme applied at the start and again 10 days later; a sweep 35 days after the start. */
    private String twoPassesTenDaysApartThenASweep35DaysLater(HistoryRetention retention) throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("acme 1.0.0");
        f.start(c -> c.withHistoryRetention(retention));
        f.clock.advance(Duration.ofDays(10));
        f.origin.write(path("acme"), environment("acme", "2.0.0"));
        String second = f.origin.commit("acme 2.0.0");
        f.poll();
        f.clock.advance(Duration.ofDays(25));
        f.sweep();
        return second;
    }

    private List<Instant> startTimes() {
        return f.daemon.history().recent("acme", 100).stream().map(HistoryEntry::startedAt)
                .collect(Collectors.toList());
    }
}
