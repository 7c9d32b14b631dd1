package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
                rs.next();
                assertEquals(2, rs.getInt(1), "V1 and V2, each once");
                assertEquals(2, rs.getInt(2));
            }
        }
    }
}
