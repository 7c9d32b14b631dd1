package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress of running passes and the version the dashboard polls. */
class StatusBoardProgressTest {

    @TempDir
    Path tmp;

    @Test
    void progressIsKeptWhileAPassRunsAndEveryChangeMovesTheVersion() throws Exception {
        try (HistoryStore history = HistoryStore.openEmbedded(tmp.resolve("history"), java.time.Clock.systemUTC())) {
            StatusBoard board = new StatusBoard(history);
            long v0 = board.version();
            Instant since = Instant.parse("2026-01-01T00:00:00Z");

            board.progress("acme", "applying", "wave 2, 5 change(s) in all", since);

            assertEquals(Optional.of(new Progress("applying", "wave 2, 5 change(s) in all", since)), board.progress("acme"));
            long v1 = board.version();
            assertTrue(v1 > v0);
            board.update("acme", s -> s.skipped());
            long v2 = board.version();
            assertTrue(v2 > v1, "a status change moves it");
            board.idle("acme");
            assertEquals(Optional.empty(), board.progress("acme"));
            assertTrue(board.version() > v2, "the end of a pass moves it");
            long v3 = board.version();
            board.idle("acme");
            assertEquals(v3, board.version(), "nothing ended: nothing moves");
        }
    }
}
