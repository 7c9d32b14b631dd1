package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cluster.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Pruning the history to {@code --history-retention}, on both databases it lives in: the H2 file
 * of a single daemon and the PostgreSQL of a cluster (embedded, binaries from a Maven artifact).
 */
class HistoryRetentionTest {

    /** The two databases; the SQL must run unchanged on both. */
    enum Database { H2, POSTGRESQL }

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final HistoryRetention THIRTY_DAYS = HistoryRetention.of(Duration.ofDays(30));

    @TempDir
    Path tmp;
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    HistoryStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void prunesEntriesOlderThanTheRetentionAndKeepsTheRecentOnes(Database db) throws Exception {
        store = open(db);
        for (int daysAgo : new int[] {60, 45, 31, 29, 2}) {
            pass("acme", "rev-" + daysAgo, daysAgo, "applied");
        }

        long deleted = store.prune(THIRTY_DAYS.cutoff(clock.instant()).orElseThrow());

        assertEquals(6, deleted, "plan and apply of the passes 60, 45 and 31 days ago");
        List<HistoryEntry> left = store.recent("acme", 100);
        assertEquals(List.of("rev-2", "rev-2", "rev-29", "rev-29"), left.stream().map(HistoryEntry::revision).toList());
        assertEquals(0, store.prune(THIRTY_DAYS.cutoff(clock.instant()).orElseThrow()), "nothing more to prune");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void keepsTheLastPassOfAnEnvironmentHoweverOld(Database db) throws Exception {
        store = open(db);
        pass("gone", "rev-a", 90, "applied");
        pass("gone", "rev-b", 80, "applied");
        pass("acme", "rev-1", 1, "applied");

        store.prune(THIRTY_DAYS.cutoff(clock.instant()).orElseThrow());

        List<HistoryEntry> gone = store.recent("gone", 100);
        assertEquals(List.of(HistoryEntry.Kind.APPLY, HistoryEntry.Kind.PLAN), gone.stream().map(HistoryEntry::kind).toList(),
                "an environment nothing reconciles any more still shows its last plan and apply");
        assertTrue(gone.stream().allMatch(e -> e.revision().equals("rev-b")), gone.toString());
        assertEquals(2, store.recent("acme", 100).size());
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void keepsTheLastSuccessfulApplyForLastAppliedRevision(Database db) throws Exception {
        store = open(db);
        pass("acme", "rev-good", 50, "applied");
        pass("acme", "rev-bad", 40, "failed");
        pass("acme", "rev-bad", 35, "failed");
        pass("acme", "rev-bad", 1, "failed");

        store.prune(THIRTY_DAYS.cutoff(clock.instant()).orElseThrow());

        assertEquals(Optional.of("rev-good"), store.lastAppliedRevision("acme"),
                "a restart still knows the revision live state was last confirmed at");
        assertEquals(List.of("failed", "changes", "applied"),
                store.recent("acme", 100).stream().map(HistoryEntry::outcome).toList(),
                "the failed applies and the plans older than 30 days are gone");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void prunesMoreThanOneBatch(Database db) throws Exception {
        store = open(db);
        int old = 27;
        for (int i = 0; i < old; i++) {
            store.record(entry(HistoryEntry.Kind.PLAN, "acme", "rev-old", NOW.minus(Duration.ofDays(40)), "no-changes"));
        }
        store.record(entry(HistoryEntry.Kind.PLAN, "acme", "rev-new", NOW, "no-changes"));

        assertEquals(old, store.prune(THIRTY_DAYS.cutoff(clock.instant()).orElseThrow(), 10),
                "three statements of at most 10 rows");
        assertEquals(1, store.count());
    }

    @Test
    void foreverHasNoCutoff() {
        assertEquals(Optional.empty(), HistoryRetention.FOREVER.cutoff(NOW));
        assertEquals(Optional.of(Instant.parse("2025-05-02T12:00:00Z")), THIRTY_DAYS.cutoff(NOW));
        assertEquals("forever", HistoryRetention.FOREVER.toString());
        assertEquals("PT720H", THIRTY_DAYS.toString(), "logged like the daemon's other intervals");
    }

    private HistoryStore open(Database db) throws Exception {
        if (db == Database.H2) {
            return HistoryStore.openEmbedded(tmp, clock);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.freshDatabase());
        return HistoryStore.open(ds, () -> { }, clock);
    }

    /** One pass: its plan, then its apply, both started {@code daysAgo}. */
    private void pass(String env, String revision, int daysAgo, String applyOutcome) {
        Instant at = NOW.minus(Duration.ofDays(daysAgo));
        store.record(entry(HistoryEntry.Kind.PLAN, env, revision, at, "changes"));
        store.record(entry(HistoryEntry.Kind.APPLY, env, revision, at, applyOutcome));
    }

    private static HistoryEntry entry(HistoryEntry.Kind kind, String env, String revision, Instant at, String outcome) {
        return new HistoryEntry(0, kind, env, revision, "change", at, Duration.ofMillis(100), outcome,
                List.of(new HistoryEntry.Action(env + "/web/service", "update", "planned")), Optional.empty(), "node-1");
    }
}
