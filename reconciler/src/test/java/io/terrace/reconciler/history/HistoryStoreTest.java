package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryStoreTest {

    @TempDir
    Path tmp;
    Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void migratesOnceAndRecordsEachScriptWithItsChecksum() throws Exception {
        HistoryStore.openEmbedded(tmp, clock).close();
        HistoryStore.openEmbedded(tmp, clock).close();

        assertEquals(List.of("1:plan and apply history:true", "2:index on start time:true",
                "3:trigger with who asked:true"), flywayRecord(tmp));
    }

    /** Who asked is in the trigger: two of the longest token names fit, and more is clipped, not refused. */
    @Test
    void keepsATriggerWithTheLongestNamesOfWhoAsked() throws Exception {
        String longest = "n".repeat(63);
        String trigger = "change,manual:" + longest + "+" + longest.replace('n', 'm') + ",now:" + longest;
        try (HistoryStore store = HistoryStore.openEmbedded(tmp, clock)) {
            store.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, "acme", "rev1", trigger, clock.instant(),
                    Duration.ofMillis(5), "applied", List.of(), Optional.empty(), "node-a"));
            store.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, "acme", "rev2", "now:" + "a+".repeat(600) + "b",
                    clock.instant(), Duration.ofMillis(5), "applied", List.of(), Optional.empty(), "node-a"));
            List<HistoryEntry> recent = store.recent("acme", 2);
            assertEquals(trigger, recent.get(1).trigger());
            assertEquals(Optional.of(longest + "+" + longest.replace('n', 'm')), recent.get(1).askedBy());
            assertEquals(1024, recent.get(0).trigger().length());
            assertTrue(recent.get(0).trigger().endsWith("…"), recent.get(0).trigger());
        }
    }

    /** A database the pre-Flyway code made, at V1 or V2, keeps every row and reaches the last version once. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void adoptsADatabaseMadeBeforeFlywayWithoutLosingARow(int legacyVersion) throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + tmp.resolve("terrace"), "terrace", "");
        try {
            LegacyHistorySchema.migrate(pool, legacyVersion);
        } finally {
            pool.dispose();
        }
        fillTheOldWay(tmp, 3);

        try (HistoryStore store = HistoryStore.openEmbedded(tmp, clock)) {
            assertEquals(3, store.count(), "no row lost");
            assertEquals(Optional.of("rev2"), store.lastAppliedRevision("acme"));
            store.record(entry(HistoryEntry.Kind.APPLY, "applied", "rev3"));
            assertEquals(4, store.count());
        }
        List<String> expected = legacyVersion == 1
                ? List.of("1:adopted at V1 from the record kept before Flyway:true", "2:index on start time:true",
                        "3:trigger with who asked:true")
                : List.of("2:adopted at V2 from the record kept before Flyway:true", "3:trigger with who asked:true");
        assertEquals(expected, flywayRecord(tmp));
        assertEquals(List.of("RECONCILE_HISTORY_STARTED_AT"), indexesNamed(tmp, "RECONCILE_HISTORY_STARTED_AT"),
                "the start-time index exists once");
    }

    @Test
    void keepsEntriesAcrossRestartsNewestFirst() throws Exception {
        try (HistoryStore store = HistoryStore.openEmbedded(tmp, clock)) {
            store.record(entry(HistoryEntry.Kind.PLAN, "changes", "rev1"));
            store.record(entry(HistoryEntry.Kind.APPLY, "applied", "rev1"));
            store.record(entry(HistoryEntry.Kind.APPLY, "failed", "rev2"));
        }
        try (HistoryStore store = HistoryStore.openEmbedded(tmp, clock)) {
            List<HistoryEntry> recent = store.recent("acme", 10);
            assertEquals(List.of("failed", "applied", "changes"), recent.stream().map(HistoryEntry::outcome).toList());
            assertEquals(Optional.of("rev1"), store.lastAppliedRevision("acme"), "a failed apply is not applied");
            HistoryEntry failed = recent.get(0);
            assertEquals(Optional.of("ThrottlingException"), failed.error());
            assertEquals(Duration.ofMillis(1500), failed.duration());
            assertEquals(clock.instant(), failed.startedAt());
            assertEquals(1, failed.count("create"));
            assertEquals(0, failed.count("update"), "the failed update is not counted");
            assertEquals(Optional.empty(), store.lastAppliedRevision("nobody"));
        }
    }

    /** Rows as the pre-Flyway code wrote them, with the ids it generated. */
    private void fillTheOldWay(Path dir, int rows) throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("terrace"), "terrace", "");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (int i = 1; i <= rows; i++) {
                s.execute("INSERT INTO reconcile_history (kind, environment, revision, trigger_reason, started_at,"
                        + " duration_ms, outcome, creates, updates, replaces, deletes, actions, error, node_id)"
                        + " VALUES ('apply', 'acme', 'rev" + i + "', 'change', TIMESTAMP WITH TIME ZONE"
                        + " '2025-06-01 12:00:00+00', 10, '" + (i == rows ? "failed" : "applied") + "', 0, 0, 0, 0,"
                        + " '[]', NULL, 'node-1')");
            }
        } finally {
            pool.dispose();
        }
    }

    private static List<String> flywayRecord(Path dir) throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("terrace"), "terrace", "");
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"description\", \"success\", \"checksum\", \"type\""
                     + " FROM \"flyway_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                out.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getBoolean(3));
                if (rs.getString(5).equals("SQL")) {
                    assertTrue(rs.getObject(4) != null, "a script is checksummed");
                }
            }
        } finally {
            pool.dispose();
        }
        return out;
    }

    private static List<String> indexesNamed(Path dir, String name) throws Exception {
        return names(dir, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = '" + name + "'");
    }

    private static List<String> names(Path dir, String sql) throws Exception {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("terrace"), "terrace", "");
        List<String> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } finally {
            pool.dispose();
        }
        return out;
    }

    private HistoryEntry entry(HistoryEntry.Kind kind, String outcome, String revision) {
        return new HistoryEntry(0, kind, "acme", revision, "change", clock.instant(), Duration.ofMillis(1500), outcome,
                List.of(new HistoryEntry.Action("acme/web/task", "create", "succeeded"),
                        new HistoryEntry.Action("acme/web/service", "update", "failed")),
                outcome.equals("failed") ? Optional.of("ThrottlingException") : Optional.empty(), "node-1");
    }
}
