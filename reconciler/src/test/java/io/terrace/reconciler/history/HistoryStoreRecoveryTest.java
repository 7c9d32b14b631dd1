package io.terrace.reconciler.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history after a failed write (a new pool, not the dead one) and over a file H2 cannot read. */
class HistoryStoreRecoveryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private static HistoryEntry entry(String env) {
        return new HistoryEntry(0, HistoryEntry.Kind.PLAN, env, "rev", "change", CLOCK.instant(), Duration.ofMillis(5),
                "no-changes", List.of(), Optional.empty(), "node-a");
    }

    @Test
    void aFailedWriteOpensANewPoolForTheNext() throws Exception {
        List<FailingDataSource> pools = new ArrayList<>();
        HistoryStore store = HistoryStore.open(() -> {
            FailingDataSource pool = FailingDataSource.inMemory("recovery");
            pools.add(pool);
            return new HistoryStore.Pool(pool, () -> { });
        }, () -> { }, CLOCK);
        store.record(entry("acme"));

        pools.get(0).failing(true);
        assertThrows(IllegalStateException.class, () -> store.record(entry("acme")));
        assertEquals(1, pools.size(), "the failed write itself opens nothing");

        store.record(entry("acme"));
        assertEquals(2, pools.size(), "the next write came through a new pool");
        assertEquals(2, store.count());
        store.record(entry("acme"));
        assertEquals(2, pools.size(), "a working pool is kept");
        store.close();
    }

    @Test
    void aCorruptFileIsMovedAsideAndANewHistoryStarted() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("history"));
        Files.writeString(dir.resolve("terrace.mv.db"), "not an H2 database\n");

        try (HistoryStore store = HistoryStore.openEmbedded(dir, CLOCK)) {
            assertEquals(0, store.count());
            store.record(entry("acme"));
            assertEquals(1, store.count());
        }

        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("terrace.corrupt-20250601T120000Z.mv.db"), names.toString());
            assertTrue(names.contains("terrace.mv.db"), names.toString());
        }
        assertEquals("not an H2 database\n", Files.readString(dir.resolve("terrace.corrupt-20250601T120000Z.mv.db")),
                "the old file is kept as it was");
    }
}
