package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.reconciler.history.FailingDataSource;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon (git, Quartz, HTTP) over a history database on disk that fails like a full
 * disk: every new connection and every statement of a pooled one fails while the switch is on.
 * Reconciling goes on, the API and the dashboard still answer and say so, the metrics count it,
 * readiness is not affected, and writes resume when the switch is flipped back.
 */
class HistoryOutageTest {

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
    void reconcilingGoesOnWhileTheHistoryFailsAndItsWritesResumeAfter() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + tmp.resolve("history").resolve("terrace").toAbsolutePath());
        h2.setUser("terrace");
        FailingDataSource disk = new FailingDataSource(h2);
        HistoryStore history = HistoryStore.open(disk, () -> { }, Clock.systemUTC());
        f = new DaemonFixture(tmp);
        f.history = Optional.of(history);
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        f.origin.commit("alpha");
        f.start();
        assertEquals(Condition.SYNCED, f.status("alpha").condition());
        long before = history.count();

        disk.failing(true);
        f.origin.write(path("alpha"), environment("alpha", "1.1.0"));
        String next = f.origin.commit("alpha 1.1.0");
        f.poll();

        assertEquals(Condition.SYNCED, f.status("alpha").condition(), f.status("alpha").reason());
        assertEquals("registry.example.com/acme/app:1.1.0",
                f.cloud.resources.get("alpha/web/task").attributes().get("image"), "the apply went on");
        HttpResponse<String> api = f.get("/api/environments/alpha");
        assertEquals(200, api.statusCode(), api.body());
        JsonNode alpha = f.json("/api/environments/alpha");
        assertEquals(0, alpha.path("history").size(), "no past entries, not an error");
        JsonNode condition = f.json("/api/environments").path("daemon").get(0);
        assertEquals("history", condition.path("type").asText());
        assertEquals("failing", condition.path("status").asText());
        assertTrue(condition.path("reason").asText().contains("No space left on device"), condition.toString());
        HttpResponse<String> page = f.get("/environments/alpha");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Daemon condition: history failing since "), "the environment page's banner");
        assertTrue(f.get("/").body().contains("No space left on device"), "the fleet page's banner");
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_history_write_failures_total 2.0"), metrics);
        assertTrue(metrics.contains("terrace_history_writable 0.0"), metrics);
        assertEquals(200, f.get("/readyz").statusCode(), "the daemon still does its work: ready");

        disk.failing(false);
        f.origin.write(path("alpha"), environment("alpha", "1.2.0"));
        String resumed = f.origin.commit("alpha 1.2.0");
        f.poll();

        assertEquals(Condition.SYNCED, f.status("alpha").condition());
        assertEquals("ok", f.json("/api/environments").path("daemon").get(0).path("status").asText());
        assertTrue(f.get("/metrics").body().contains("terrace_history_writable 1.0"));
        assertFalse(f.get("/").body().contains("Daemon condition"), "the banner is gone");
        List<HistoryEntry> recent = history.recent("alpha", 10);
        assertEquals(before + 2, history.count(), "the failed pass's two entries are lost, the next pass's written");
        assertEquals(resumed, recent.get(0).revision());
        assertFalse(recent.stream().anyMatch(e -> e.revision().equals(next)), recent.toString());
    }
}
