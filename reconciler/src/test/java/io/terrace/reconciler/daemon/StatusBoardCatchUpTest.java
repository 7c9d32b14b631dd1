package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node's API shows the applies the other nodes ran (from the shared history), not only
 * those of its own passes; a newer pass of its own is not overwritten by an older apply.
 */
class StatusBoardCatchUpTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void anotherNodesApplyShowsHereAndANewerPassOfThisNodeIsKept() throws Exception {
        try (HistoryStore history = HistoryStore.openEmbedded(tmp.resolve("history"), Clock.systemUTC())) {
            history.record(apply("acme", "rev-1", "applied", "node-b", T0));
            StatusBoard board = new StatusBoard(history, "node-a", Duration.ZERO);
            assertEquals(Optional.of("rev-1"), board.get("acme").lastAppliedRevision(), "read with the status");

            history.record(apply("acme", "rev-2", "applied", "node-b", T0.plusSeconds(60)));
            history.record(apply("acme", "rev-3", "failed", "node-b", T0.plusSeconds(120)));
            history.record(apply("other", "rev-9", "applied", "node-a", T0.plusSeconds(120)));
            assertEquals(Optional.of("rev-1"), board.find("acme").orElseThrow().lastAppliedRevision(),
                    "not yet caught up");
            long version = board.version();
            board.catchUp();

            EnvironmentStatus acme = board.find("acme").orElseThrow();
            assertEquals(Optional.of("rev-2"), acme.lastAppliedRevision(), "the newest apply that succeeded");
            assertEquals(Optional.of("rev-3"), acme.lastAttemptedRevision());
            assertEquals(Optional.of(T0.plusSeconds(121)), acme.lastReconciledAt());
            assertEquals(Optional.empty(), board.find("other"), "this node's own applies are its passes' to show");
            assertEquals(version + 2, board.version(), "the dashboard redraws");

            // This node's own pass, later than an apply another node recorded before it.
            board.update("acme", s -> withReconciled(s, "rev-5", T0.plusSeconds(300)));
            history.record(apply("acme", "rev-4", "applied", "node-b", T0.plusSeconds(200)));
            board.catchUp();
            assertEquals(Optional.of("rev-5"), board.find("acme").orElseThrow().lastAppliedRevision());
        }
    }

    private static HistoryEntry apply(String env, String revision, String outcome, String node, Instant at) {
        return new HistoryEntry(0, HistoryEntry.Kind.APPLY, env, revision, "change", at, Duration.ofSeconds(1),
                outcome, List.of(), Optional.empty(), node);
    }

    private static EnvironmentStatus withReconciled(EnvironmentStatus s, String revision, Instant at) {
        return new EnvironmentStatus(s.name(), s.condition(), s.reason(), revision, s.pausedReason(), s.tier(),
                s.stage(), s.driftMode(), s.diagnostics(), s.pending(), s.drifted(), Optional.of(revision),
                Optional.of(revision), Optional.of(at), s.nextAttemptAt(), s.failures(), s.passes(), s.health());
    }
}
