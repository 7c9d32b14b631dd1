package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {

    @TempDir
    Path tmp;
    Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void migratesOnceAndRecordsTheVersion() throws Exception {
        HistoryStore.openEmbedded(tmp, clock).close();
        HistoryStore.openEmbedded(tmp, clock).close();

        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + tmp.resolve("terrace"), "terrace", "");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals("Plan and apply history. Portable SQL: runs unchanged on H2 (single node) and PostgreSQL (cluster).",
                    rs.getString(2));
            rs.next();
            assertEquals(2, rs.getInt(1));
            assertEquals("Index on start time: retention prunes the entries older than a cutoff after every drift sweep.",
                    rs.getString(2));
            assertEquals(false, rs.next(), "each applied once");
        } finally {
            pool.dispose();
        }
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

    @Test
    void splitsScriptsIntoStatements() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)"),
                SchemaMigrations.statements("-- comment\nCREATE TABLE a (x INT);\n\nCREATE INDEX i ON a (x);\n"));
    }

    private HistoryEntry entry(HistoryEntry.Kind kind, String outcome, String revision) {
        return new HistoryEntry(0, kind, "acme", revision, "change", clock.instant(), Duration.ofMillis(1500), outcome,
                List.of(new HistoryEntry.Action("acme/web/task", "create", "succeeded"),
                        new HistoryEntry.Action("acme/web/service", "update", "failed")),
                outcome.equals("failed") ? Optional.of("ThrottlingException") : Optional.empty(), "node-1");
    }
}
