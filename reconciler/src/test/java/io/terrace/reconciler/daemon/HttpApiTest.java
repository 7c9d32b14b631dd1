package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.http.WebhookSignature;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP endpoints of a running daemon, as a browser, Prometheus or GitHub sees them. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void signedPushTriggersAnImmediateFetch() throws Exception {
        f = started();
        f.origin.write(path("acme"), environment("acme", "2.0.0"));
        String commit = f.origin.commit("acme 2.0.0");
        long polls = f.daemon.polls();
        byte[] body = push("refs/heads/main");

        HttpResponse<String> r = f.post("/hooks/github", body, Map.of(
                "X-GitHub-Event", "push",
                WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body)));

        assertEquals(202, r.statusCode(), r.body());
        org.awaitility.Awaitility.await().until(() -> f.daemon.polls() > polls);
        f.awaitIdle();
        assertEquals(commit, f.status("acme").lastAppliedRevision().orElseThrow());
    }

    @Test
    void formEncodedPushIsAcceptedToo() throws Exception {
        f = started();
        long polls = f.daemon.polls();
        byte[] body = ("payload=" + java.net.URLEncoder.encode("{\"ref\":\"refs/heads/main\"}", StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = f.post("/hooks/github", body, Map.of("X-GitHub-Event", "push",
                "Content-Type", "application/x-www-form-urlencoded",
                WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body)));
        assertEquals(202, r.statusCode(), r.body());
        org.awaitility.Awaitility.await().until(() -> f.daemon.polls() > polls);
    }

    @Test
    void badlySignedPushIsRejectedAndFetchesNothing() throws Exception {
        f = started();
        long fetches = f.daemon.fetches();
        byte[] body = push("refs/heads/main");
        String forged = new WebhookSignature("guessed secret").sign(body);

        HttpResponse<String> wrong = f.post("/hooks/github", body, Map.of("X-GitHub-Event", "push",
                WebhookSignature.HEADER, forged));
        HttpResponse<String> missing = f.post("/hooks/github", body, Map.of("X-GitHub-Event", "push"));

        assertEquals(401, wrong.statusCode());
        assertEquals(401, missing.statusCode());
        assertEquals(fetches, f.daemon.fetches());
    }

    @Test
    void pushToAnotherBranchIsAcknowledgedAndIgnored() throws Exception {
        f = started();
        byte[] body = push("refs/heads/feature");
        HttpResponse<String> r = f.post("/hooks/github", body, Map.of("X-GitHub-Event", "push",
                WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body)));
        assertEquals(202, r.statusCode());
        assertTrue(r.body().contains("ignored"), r.body());
    }

    @Test
    void healthReadinessMetricsAndDashboard() throws Exception {
        f = started();
        assertEquals(200, f.get("/healthz").statusCode());
        assertEquals(200, f.get("/readyz").statusCode());
        String metrics = f.get("/metrics").body();
        for (String m : new String[] {"terrace_git_fetches_total", "terrace_git_fetch_seconds_count",
                "terrace_seconds_since_last_sync", "terrace_reconciles_total{environment=\"acme\",outcome=\"changes\"}",
                "terrace_applies_total{environment=\"acme\",outcome=\"applied\"}"}) {
            assertTrue(metrics.contains(m), m + " in\n" + metrics);
        }
        HttpResponse<String> page = f.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("acme") && page.body().contains("synced"), page.body());
        assertEquals("acme", f.json("/api/environments").path("environments").get(0).path("name").asText());
        assertEquals(404, f.get("/api/drift").statusCode(), "no sweep yet");
    }

    @Test
    void syncCorrectsDriftThatDriftReportOnlyReported() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("watched"), environment("watched", "1.0.0", "drift: report"));
        f.origin.commit("watched");
        f.start();
        f.cloud.drift("watched/web/task", "cpu", 4096);
        f.sweep();
        assertEquals(Condition.DRIFTED, f.status("watched").condition());
        assertEquals(4096, f.cloud.resources.get("watched/web/task").attributes().get("cpu"), "reported only");

        HttpResponse<String> r = f.post("/api/environments/watched/sync", new byte[0], Map.of());

        assertEquals(202, r.statusCode(), r.body());
        assertEquals("sync queued", JSON.readTree(r.body()).path("status").asText());
        org.awaitility.Awaitility.await().until(() -> f.status("watched").condition() == Condition.SYNCED);
        f.awaitIdle();
        assertEquals(256, f.cloud.resources.get("watched/web/task").attributes().get("cpu"), "corrected");
        assertEquals("manual", f.json("/api/environments/watched").path("history").get(0).path("trigger").asText());
    }

    @Test
    void theDashboardsSyncButtonRunsAPassAndComesBackToTheDashboard() throws Exception {
        f = started();
        String page = f.get("/").body();
        assertTrue(page.contains("<form method=\"post\" action=\"/api/environments/acme/sync\">"), page);
        assertTrue(page.contains("<form method=\"post\" action=\"/api/refresh\">"), page);
        int passes = f.json("/api/environments/acme").path("history").size();

        HttpResponse<String> r = f.post("/api/environments/acme/sync", new byte[0], Map.of(
                "Origin", "http://127.0.0.1:" + f.http.port(), "Accept", "text/html,*/*",
                "Content-Type", "application/x-www-form-urlencoded"));

        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/", r.headers().firstValue("Location").orElseThrow());
        org.awaitility.Awaitility.await()
                .until(() -> f.json("/api/environments/acme").path("history").size() > passes);
        assertEquals("manual", f.json("/api/environments/acme").path("history").get(0).path("trigger").asText());

        long polls = f.daemon.polls();
        HttpResponse<String> refresh = f.post("/api/refresh", new byte[0], Map.of(
                "Origin", "http://127.0.0.1:" + f.http.port(), "Accept", "text/html"));
        assertEquals(303, refresh.statusCode());
        assertEquals("/", refresh.headers().firstValue("Location").orElseThrow());
        org.awaitility.Awaitility.await().until(() -> f.daemon.polls() > polls);
    }

    @Test
    void theEnvironmentPageShowsWhatDriftedAndTheNewestPasses() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("watched"), environment("watched", "1.0.0", "drift: report"));
        f.origin.commit("watched");
        f.start();
        f.cloud.drift("watched/web/task", "cpu", 4096);
        f.sweep();

        HttpResponse<String> page = f.get("/environments/watched");

        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<span class=\"s drifted\">drifted</span>"), html);
        assertTrue(html.contains("<tr><td><code>watched/web/task</code></td><td><code>cpu</code></td>"
                + "<td><code>4096</code></td><td><code>256</code></td></tr>"), html);
        assertTrue(html.contains("<td>sweep</td>") && html.contains("<td>change</td>"), html);
        assertTrue(html.contains("action=\"/api/environments/watched/sync\""), html);
        assertTrue(f.get("/").body().contains("<a href=\"/environments/watched\">watched</a>"));
        assertEquals(404, f.get("/environments/nobody").statusCode());

        HttpResponse<String> sync = f.post("/api/environments/watched/sync", new byte[0], Map.of(
                "Origin", "http://127.0.0.1:" + f.http.port(), "Accept", "text/html",
                "Referer", "http://127.0.0.1:" + f.http.port() + "/environments/watched"));
        assertEquals(303, sync.statusCode());
        assertEquals("/environments/watched", sync.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void syncOfAnUnknownEnvironmentIsNotFound() throws Exception {
        f = started();
        HttpResponse<String> r = f.post("/api/environments/nobody/sync", new byte[0], Map.of());
        assertEquals(404, r.statusCode());
        assertEquals("unknown environment: nobody", JSON.readTree(r.body()).path("error").asText());
    }

    @Test
    void refreshFetchesNow() throws Exception {
        f = started();
        f.origin.write(path("acme"), environment("acme", "2.0.0"));
        String commit = f.origin.commit("acme 2.0.0");
        long polls = f.daemon.polls();

        HttpResponse<String> r = f.post("/api/refresh", new byte[0], Map.of());

        assertEquals(202, r.statusCode(), r.body());
        org.awaitility.Awaitility.await().until(() -> f.daemon.polls() > polls);
        f.awaitIdle();
        assertEquals(commit, f.status("acme").lastAppliedRevision().orElseThrow());
    }

    @Test
    void aPostFromAnotherSitesPageIsRefused() throws Exception {
        f = started();
        long polls = f.daemon.polls();
        int passes = f.json("/api/environments/acme").path("history").size();

        HttpResponse<String> refresh = f.post("/api/refresh", new byte[0], Map.of("Origin", "https://evil.example"));
        HttpResponse<String> sync = f.post("/api/environments/acme/sync", new byte[0],
                Map.of("Origin", "https://evil.example"));
        HttpResponse<String> other = f.post("/api/environments", new byte[0], Map.of());

        assertEquals(403, refresh.statusCode());
        assertEquals(403, sync.statusCode());
        assertEquals(405, other.statusCode());
        f.awaitIdle();
        assertEquals(polls, f.daemon.polls());
        assertEquals(passes, f.json("/api/environments/acme").path("history").size());
    }

    private DaemonFixture started() throws Exception {
        DaemonFixture fixture = new DaemonFixture(tmp);
        fixture.origin.write(path("acme"), environment("acme", "1.0.0"));
        fixture.origin.commit("acme");
        return fixture.start();
    }

    private static byte[] push(String ref) {
        return ("{\"ref\":\"" + ref + "\",\"after\":\"0000000000000000000000000000000000000000\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
