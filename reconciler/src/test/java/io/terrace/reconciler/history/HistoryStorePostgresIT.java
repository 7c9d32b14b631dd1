package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The history's migrations and queries on PostgreSQL, the database of the cluster mode: the same
 * SQL that runs on the embedded H2 must run there unchanged.
 */
class HistoryStorePostgresIT {

    private final Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void migratesAndRecordsOnPostgres() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            var dataSource = pg.getPostgresDatabase();
            try (HistoryStore store = HistoryStore.open(dataSource, () -> { }, clock)) {
                store.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, "acme", "abc123", "change", clock.instant(),
                        Duration.ofMillis(2500), "applied",
                        List.of(new HistoryEntry.Action("acme/web/task", "update", "succeeded")), Optional.empty(),
                        "node-a"));
                assertEquals(Optional.of("abc123"), store.lastAppliedRevision("acme"));
                HistoryEntry read = store.recent("acme", 5).get(0);
                assertEquals(clock.instant(), read.startedAt());
                assertEquals(1, read.count("update"));
            }
            try (HistoryStore again = HistoryStore.open(dataSource, () -> { }, clock)) {
                assertEquals(1, again.count(), "reopening migrates nothing and keeps the entries");
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version::int) FROM flyway_history WHERE success AND version IS NOT NULL")) {
                rs.next();
                assertEquals(3, rs.getInt(1), "V1 to V3, each once");
                assertEquals(3, rs.getInt(2));
            }
        }
    }

    /** A cluster database the pre-Flyway code made keeps every row and is baselined at its version. */
    @Test
    void adoptsAPostgresHistoryMadeBeforeFlyway() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            var dataSource = pg.getPostgresDatabase();
            LegacyHistorySchema.migrate(dataSource, 2);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    s.execute("INSERT INTO reconcile_history (kind, environment, revision, trigger_reason, started_at,"
                            + " duration_ms, outcome, creates, updates, replaces, deletes, actions, error, node_id)"
                            + " VALUES ('apply', 'acme', 'rev" + i + "', 'change', TIMESTAMPTZ '2025-06-01 12:00:00+00',"
                            + " 10, 'applied', 0, 0, 0, 0, '[]', NULL, 'node-a')");
                }
            }
            try (HistoryStore store = HistoryStore.open(dataSource, () -> { }, clock)) {
                assertEquals(3, store.count(), "no row lost");
                assertEquals(Optional.of("rev3"), store.lastAppliedRevision("acme"));
                store.record(new HistoryEntry(0, HistoryEntry.Kind.PLAN, "acme", "rev4", "change", clock.instant(),
                        Duration.ofMillis(5), "changes", List.of(), Optional.empty(), "node-b"));
                assertEquals(4, store.count());
                assertEquals(4, store.recent("acme", 1).get(0).id(), "new ids follow the old ones");
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version, type FROM flyway_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                assertTrue(rs.next());
                assertEquals("2", rs.getString(1));
                assertEquals("BASELINE", rs.getString(2));
                assertTrue(rs.next());
                assertEquals("3", rs.getString(1), "the wider trigger, once");
                assertFalse(rs.next(), "nothing applied twice");
            }
        }
    }
}
