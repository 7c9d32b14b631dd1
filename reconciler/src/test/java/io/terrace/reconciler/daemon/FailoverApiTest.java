package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.engine.Failover;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.http.ApiToken;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/environments/{name}/failover}: behind the API token and the same-site rule of
 * the sync endpoint; refused in one line when there is nothing to fail over; recorded in the
 * history with who asked.
 */
class FailoverApiTest {

    private static final String TOKEN = "s3cr3t-token-0123456789";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static final Map<String, String> WRONG = Map.of("Authorization", "Bearer " + TOKEN + "-x");

    @TempDir
    Path tmp;
    DaemonFixture f;
    final List<String> asked = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.write(path("blog"), environment("blog", "1.0.0"));
        f.origin.commit("acme and blog");
        f.apiToken = Optional.of(ApiToken.parse("ops-bot other-token-987\nalice: " + TOKEN + "\n"));
        f.failover = (env, request) -> {
            asked.add(env + " database=" + request.wantsDatabase() + " cache=" + request.wantsCache()
                    + " to=" + request.target().orElse("-"));
            if (env.equals("blog")) {
                throw new Failover.Refused("blog: nothing to fail over: the database has no reader and the cache no replica");
            }
            return List.of("database: acme-reader-1 is the writer (was acme-writer)");
        };
        f.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void needsTheTokenAndTheSameSite() throws Exception {
        assertEquals(401, f.post("/api/environments/acme/failover", new byte[0], Map.of()).statusCode());
        assertEquals(401, f.post("/api/environments/acme/failover", new byte[0], WRONG).statusCode());
        var withOrigin = new java.util.HashMap<>(AUTH);
        withOrigin.put("Origin", "https://evil.example");
        HttpResponse<String> crossSite = f.post("/api/environments/acme/failover", new byte[0], withOrigin);
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(List.of(), asked, "nothing failed over");
    }

    @Test
    void failsOverRecordsWhoAskedAndAnswersWhatWasDone() throws Exception {
        HttpResponse<String> r = f.post("/api/environments/acme/failover?database=true&to=acme-reader-1",
                new byte[0], AUTH);

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("database: acme-reader-1 is the writer (was acme-writer)"), r.body());
        assertEquals(List.of("acme database=true cache=false to=acme-reader-1"), asked);
        HistoryEntry entry = f.daemon.history().recent("acme", 10).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.FAILOVER).findFirst().orElseThrow();
        assertEquals("alice", entry.trigger(), "who asked: the name of the token");
        assertTrue(r.body().contains("\"by\" : \"alice\""), r.body());
        assertEquals("succeeded", entry.outcome());
        assertEquals(List.of(new HistoryEntry.Action("acme/database/cluster", "failover", "succeeded")), entry.actions());
        HttpResponse<String> detail = f.get("/api/environments/acme", AUTH);
        assertTrue(detail.body().contains("\"kind\" : \"failover\""), detail.body());
        assertTrue(detail.body().contains("\"by\" : \"alice\""), detail.body());
        String page = f.get("/environments/acme", AUTH).body();
        assertTrue(page.contains("<td>failover</td><td>by alice</td>"), page);
    }

    @Test
    void nothingToFailOverIsOneLineAndUnknownNamesAre404() throws Exception {
        HttpResponse<String> refused = f.post("/api/environments/blog/failover", new byte[0], AUTH);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"error\" : \"blog: nothing to fail over: the database has no reader "
                + "and the cache no replica\""), refused.body());
        assertTrue(f.daemon.history().recent("blog", 10).stream().noneMatch(e -> e.kind() == HistoryEntry.Kind.FAILOVER),
                "a refusal changed nothing and is not recorded");

        assertEquals(404, f.post("/api/environments/nope/failover", new byte[0], AUTH).statusCode());
        HttpResponse<String> ambiguous = f.post("/api/environments/acme/failover?to=x", new byte[0], AUTH);
        assertEquals(400, ambiguous.statusCode(), ambiguous.body());
        assertTrue(ambiguous.body().contains("--to names one instance"), ambiguous.body());
    }
}
