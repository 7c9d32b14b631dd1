package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.http.ApiToken;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon and {@code maintenance.window}, on its injected clock (Sunday 2025-06-01 12:00 UTC,
 * outside a Sunday 02:00-04:00 window): a new cache node type waits while an image change
 * applies; it applies once the clock is inside the window, or at once through
 * {@code POST …/sync?now=true}, recorded with who asked.
 */
class MaintenanceWindowDaemonTest {

    private static final String WINDOW = "maintenance: { window: 'sun:02:00-sun:04:00' }";
    private static final String CACHE = "acme/cache/replication-group";

    @TempDir
    Path tmp;
    DaemonFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0", WINDOW));
        f.origin.commit("acme");
        f.start();
        assertEquals("cache.t4g.small", nodeType());
        f.origin.write(path("acme"), environment("acme", "2.0.0", WINDOW, "cache: { nodeType: cache.t4g.medium }"));
        f.origin.commit("acme: image 2.0.0 and a larger cache");
        f.poll();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Object nodeType() {
        return f.cloud.resources.get(CACHE).attributes().get("nodeType");
    }

    private Object image() {
        return f.cloud.resources.get("acme/web/task").attributes().get("image");
    }

    @Test
    void outsideTheWindowTheCacheWaitsAndTheImageApplies() throws Exception {
        assertEquals("cache.t4g.small", nodeType(), "waits for Sunday 02:00");
        assertEquals("registry.example.com/acme/app:2.0.0", image(), "the rest applied at once");

        f.daemon.syncNow("acme");
        f.awaitIdle();
        HistoryEntry plan = f.daemon.history().recent("acme", 1).get(0);
        assertEquals(HistoryEntry.Kind.PLAN, plan.kind());
        assertEquals("waiting", plan.outcome(), "only waiting changes left: nothing is applied");
        assertEquals("cache.t4g.small", nodeType());
        String status = f.get("/api/environments/acme").body();
        assertTrue(status.contains("1 change(s) wait for the maintenance window (next: 2025-06-08T02:00:00Z)"), status);
    }

    @Test
    void insideTheWindowItApplies() throws Exception {
        f.clock.advance(Duration.ofDays(6).plusHours(14).plusMinutes(30)); // Sunday 2025-06-08 02:30
        f.daemon.syncNow("acme");
        f.awaitIdle();
        assertEquals("cache.t4g.medium", nodeType());
    }

    @Test
    void syncWithNowAppliesAtOnceAndRecordsWhoAsked() throws Exception {
        HttpResponse<String> r = f.post("/api/environments/acme/sync?now=true", new byte[0], Map.of());
        assertEquals(202, r.statusCode(), r.body());
        f.awaitIdle();

        assertEquals("cache.t4g.medium", nodeType());
        List<HistoryEntry> recent = f.daemon.history().recent("acme", 2);
        HistoryEntry apply = recent.stream().filter(e -> e.kind() == HistoryEntry.Kind.APPLY).findFirst().orElseThrow();
        assertEquals("now:api", apply.trigger());
        assertEquals(List.of(new HistoryEntry.Action(CACHE, "update", "succeeded")), apply.actions());
    }

    @Test
    void syncWithNowRecordsTheNameOfTheTokenThatAsked() throws Exception {
        f.apiToken = Optional.of(ApiToken.parse("# operators\nalice: alice-token-0123\nbob bob-token-4567\n"));
        f.restart();
        f.awaitIdle();

        HttpResponse<String> wrong = f.post("/api/environments/acme/sync?now=true", new byte[0],
                Map.of("Authorization", "Bearer alice-token-4567"));
        assertEquals(401, wrong.statusCode(), wrong.body());
        f.awaitIdle();
        assertEquals("cache.t4g.small", nodeType(), "a refused request changes nothing");

        HttpResponse<String> r = f.post("/api/environments/acme/sync?now=true", new byte[0],
                Map.of("Authorization", "Bearer alice-token-0123"));
        assertEquals(202, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"by\" : \"alice\""), r.body());
        f.awaitIdle();

        assertEquals("cache.t4g.medium", nodeType());
        HistoryEntry apply = f.daemon.history().recent("acme", 2).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.APPLY).findFirst().orElseThrow();
        assertEquals("now:alice", apply.trigger());
        assertEquals(Optional.of("alice"), apply.askedBy());
        Map<String, String> bob = Map.of("Authorization", "Bearer bob-token-4567");
        var history = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(f.get("/api/environments/acme", bob).body()).path("history");
        assertEquals("now:alice", history.get(0).path("trigger").asText());
        assertEquals("alice", history.get(0).path("by").asText());
        String page = f.get("/environments/acme", bob).body();
        assertTrue(page.contains("<td>now by alice</td>"), page);
    }
}
