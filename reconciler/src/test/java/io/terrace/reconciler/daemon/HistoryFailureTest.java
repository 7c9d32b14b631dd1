package io.terrace.reconciler.daemon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.reconciler.history.FailingDataSource;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A history that cannot be written never stops reconciling, and a history file H2 cannot read never stops a start. */
class HistoryFailureTest {

    @TempDir
    Path tmp;
    PassBench bench;
    DaemonFixture f;
    WireMockServer hook;

    @AfterEach
    void stop() {
        if (bench != null) {
            bench.close();
        }
        if (f != null) {
            f.close();
        }
        if (hook != null) {
            hook.stop();
        }
    }

    @Test
    void aPassWhoseHistoryWriteFailsStillSetsStatusBackOffAndNotifies() throws Exception {
        hook = new WireMockServer(wireMockConfig().dynamicPort());
        hook.start();
        hook.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        FailingDataSource disk = FailingDataSource.inMemory("history-failure-" + System.nanoTime());
        HistoryStore history = HistoryStore.open(disk, () -> { }, Clock.systemUTC());
        bench = new PassBench(tmp, history, Map.of(Notifications.URL_ENV, hook.baseUrl() + "/hook"));
        bench.spec("acme", environment("acme", "1.0.0"));
        bench.pass("acme", Trigger.CHANGE);
        assertEquals(Condition.SYNCED, bench.status("acme").condition());
        awaitMessages(1);

        disk.failing(true);
        bench.cloud.failNext("acme", 1);
        bench.spec("acme", environment("acme", "2.0.0"));
        bench.pass("acme", Trigger.CHANGE);

        EnvironmentStatus failed = bench.status("acme");
        assertEquals(Condition.FAILED, failed.condition(), "the status is updated");
        assertEquals(1, failed.failures());
        assertEquals(bench.clock.instant().plusSeconds(10), failed.nextAttemptAt().orElseThrow(), "the back-off started");
        assertEquals(1, bench.retries.size(), "and its retry is scheduled");
        awaitMessages(2);
        assertTrue(hook.findAll(postRequestedFor(urlEqualTo("/hook"))).get(1).getBodyAsString().contains("acme: failed"),
                "the failure is notified");
        assertEquals(2.0, bench.metrics.value("terrace.history.write.failures"), "a plan and an apply entry were lost");
        assertEquals(0.0, bench.metrics.value("terrace.history.writable"));
        DaemonCondition condition = bench.historyWrites.condition();
        assertFalse(condition.ok());
        assertTrue(condition.reason().orElseThrow().contains("No space left on device"), condition.toString());
        assertTrue(bench.metrics.scrape().contains("terrace_history_write_failures_total 2.0"));

        disk.failing(false);
        bench.fireRetry(Duration.ZERO);
        assertEquals(Condition.SYNCED, bench.status("acme").condition());
        assertTrue(bench.historyWrites.condition().ok(), "writes work again");
        assertEquals(1.0, bench.metrics.value("terrace.history.writable"));
        List<HistoryEntry> recent = history.recent("acme", 10);
        assertEquals("retry", recent.get(0).trigger(), "the retry's pass is recorded once the history works again");
        assertEquals(4, recent.size(), "the first pass's two entries and the retry's two; the failed pass's are lost");
    }

    @Test
    void theDaemonStartsOverAHistoryFileItCannotRead() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("acme");
        Path dir = Files.createDirectories(f.data.resolve("history"));
        Files.write(dir.resolve("terrace.mv.db"), new byte[] {'H', '2', 0, 1, 2, 3, 'g', 'a', 'r', 'b', 'a', 'g', 'e'});

        f.start();

        assertEquals(Condition.SYNCED, f.status("acme").condition());
        assertEquals(2, f.daemon.history().recent("acme", 10).size(), "a new history records the first pass");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("terrace\\.corrupt-\\d{8}T\\d{6}Z\\.mv\\.db")),
                    "the unreadable file is kept aside");
        }
        JsonNode daemon = f.json("/api/environments").path("daemon");
        assertEquals("history", daemon.get(0).path("type").asText());
        assertEquals("ok", daemon.get(0).path("status").asText());
    }

    private void awaitMessages(int n) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() >= n);
    }
}
