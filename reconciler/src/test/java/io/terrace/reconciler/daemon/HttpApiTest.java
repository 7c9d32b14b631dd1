package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.http.HttpApi;
import io.terrace.reconciler.http.HttpLimits;
import io.terrace.reconciler.http.WebhookSignature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        assertEquals("manual:api", f.json("/api/environments/watched").path("history").get(0).path("trigger").asText(),
                "the API without a token is who asked: api");
    }

    @Test
    void theDashboardsSyncButtonRunsAPassAndComesBackToTheDashboard() throws Exception {
        f = started();
        String page = f.get("/").body();
        assertTrue(page.contains("<form method=\"post\" action=\"/api/environments/acme/sync\""), page);
        assertTrue(page.contains("<form method=\"post\" action=\"/api/refresh\""), page);
        int passes = f.json("/api/environments/acme").path("history").size();

        HttpResponse<String> r = f.post("/api/environments/acme/sync", new byte[0], Map.of(
                "Origin", "http://127.0.0.1:" + f.http.port(), "Accept", "text/html,*/*",
                "Content-Type", "application/x-www-form-urlencoded"));

        assertEquals(303, r.statusCode(), r.body());
        assertEquals("/", r.headers().firstValue("Location").orElseThrow());
        org.awaitility.Awaitility.await()
                .until(() -> f.json("/api/environments/acme").path("history").size() > passes);
        assertEquals("manual:api", f.json("/api/environments/acme").path("history").get(0).path("trigger").asText());

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
        assertTrue(html.contains("<tr data-address=\"watched/web/task\"><td><code>watched/web/task</code></td><td><code>cpu</code></td>"
                + "<td class=\"live\"><code>4096</code></td><td class=\"spec\"><code>256</code></td></tr>"), html);
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

    @Test
    void fortyIdleConnectionsStarveNeitherTheProbeNorTheWebhook() throws Exception {
        f = started();
        String[] halves = {"", "GET /heal", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAcc"};
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket("127.0.0.1", f.http.port());
                s.getOutputStream().write(halves[i % halves.length].getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                idle.add(s);
            }
            byte[] body = push("refs/heads/main");

            long start = System.nanoTime();
            HttpResponse<String> health = f.get("/healthz");
            Duration healthTook = Duration.ofNanos(System.nanoTime() - start);
            start = System.nanoTime();
            HttpResponse<String> hook = f.post("/hooks/github", body, Map.of("X-GitHub-Event", "push",
                    WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body)));
            Duration hookTook = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());
            assertEquals(202, hook.statusCode(), hook.body());
            System.out.printf("with 40 idle connections: /healthz %d ms, webhook %d ms%n",
                    healthTook.toMillis(), hookTook.toMillis());
            // The JDK server of before answered neither for minutes; the bound is loose on purpose.
            assertTrue(healthTook.compareTo(Duration.ofSeconds(5)) < 0, "/healthz took " + healthTook);
            assertTrue(hookTook.compareTo(Duration.ofSeconds(5)) < 0, "the webhook took " + hookTook);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatSendsNothingOrHalfARequestIsDropped() throws Exception {
        f = started();
        restartHttp(HttpLimits.DEFAULT.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30)));
        for (String sent : new String[] {"", "GET /healthz HT", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"}) {
            try (Socket s = new Socket("127.0.0.1", f.http.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();

                String answer = readToEnd(s.getInputStream());

                assertEquals("", answer, "closed without an answer after [" + sent + "]");
            }
        }
        assertEquals(200, f.get("/healthz").statusCode());
    }

    @Test
    void aBodyOverTheLimitIs413AndTheServerGoesOn() throws Exception {
        f = started();
        int webhookLimit = HttpLimits.DEFAULT.maxWebhookBytes();
        String declared = raw("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nX-GitHub-Event: push\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (webhookLimit + 1) + "\r\n\r\n{\"ref\":");
        assertTrue(declared.startsWith("HTTP/1.1 413 "), declared);
        assertTrue(declared.contains("\"error\" : \"payload over 26214400 bytes\""), declared);
        assertEquals(200, f.get("/healthz").statusCode(), "still answering");

        String post = raw("POST /api/refresh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + (HttpLimits.DEFAULT.maxBodyBytes() + 1) + "\r\n\r\n");
        assertTrue(post.startsWith("HTTP/1.1 413 "), post);
        for (String header : new String[] {"X-Frame-Options: DENY", "X-Content-Type-Options: nosniff",
                "Referrer-Policy: no-referrer", "Content-Security-Policy: default-src 'self';"}) {
            assertTrue(post.contains("\r\n" + header), header + " in\n" + post);
        }
        assertEquals(200, f.get("/healthz").statusCode(), "still answering");

        // A chunked body has no length to check first: it is refused once it grows past the limit.
        restartHttp(new HttpLimits(64, Duration.ofSeconds(10), Duration.ofSeconds(30), 8 * 1024, 1024, 8, 1024,
                Duration.ofSeconds(5)));
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + f.http.port() + "/hooks/github"))
                .header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[8 * 1024])))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals(200, f.get("/healthz").statusCode(), "still answering");
    }

    @Test
    void webhookBodiesInFlightAreCappedAndTheRestWaitThenGive503() throws Exception {
        f = started();
        restartHttp(new HttpLimits(64, Duration.ofMillis(500), Duration.ofSeconds(30), 8 * 1024, 1024, 2, 1024,
                Duration.ofSeconds(5)));
        byte[] body = push("refs/heads/main");
        Map<String, String> signed = Map.of("X-GitHub-Event", "push",
                WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body));
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket("127.0.0.1", f.http.port());
                s.getOutputStream().write(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                        + "X-GitHub-Event: push\r\n\r\n{\"ref\":").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }

            // Once both stalled deliveries are being read (the server takes them in its own time),
            // the next one finds no place. They outlive the 500 ms head timeout: a request being
            // handled has the longer idle timeout.
            List<HttpResponse<String>> answers = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                answers.add(0, f.post("/hooks/github", body, signed));
                return answers.get(0).statusCode() == 503;
            });

            assertSecurityHeaders(answers.get(0), "503 from Jetty itself");
            assertEquals(200, f.get("/healthz").statusCode(), "the cap is for the webhook only");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        org.awaitility.Awaitility.await().until(() -> f.post("/hooks/github", body, signed).statusCode() == 202);
    }

    @Test
    void requestHeadersOverTheLimitAre431() throws Exception {
        f = started();
        HttpResponse<String> r = f.get("/api/environments", Map.of("X-Padding", "a".repeat(HttpLimits.DEFAULT.maxHeaderBytes())));
        assertEquals(431, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().startsWith("{\"error\":"), r.body());
        assertSecurityHeaders(r, "431 from Jetty itself");
        assertEquals(200, f.get("/healthz").statusCode(), "still answering");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        f = started();
        for (String path : new String[] {"/", "/environments/acme", "/api/environments", "/api/environments/acme",
                "/healthz", "/terrace.css", "/environments/nobody", "/api/environments/nobody", "/nowhere"}) {
            assertSecurityHeaders(f.get(path), path);
        }
        assertSecurityHeaders(f.post("/api/refresh", new byte[0], Map.of("Origin", "https://evil.example")), "403");
        assertSecurityHeaders(f.post("/api/environments", new byte[0], Map.of()), "405");
        assertSecurityHeaders(f.post("/hooks/github", new byte[0], Map.of("X-GitHub-Event", "push")), "401 webhook");
        // 413 and 431: aBodyOverTheLimitIs413AndTheServerGoesOn, requestHeadersOverTheLimitAre431
    }

    @Test
    void thePagesRunOnlyTheirOwnScriptAndTakeTheirStyleFromTheServer() throws Exception {
        f = started();
        for (String path : new String[] {"/", "/environments/acme", "/environments/nobody"}) {
            String html = f.get(path).body();
            assertFalse(html.replace("<script src=\"/terrace.js\" defer></script>", "").contains("<script")
                            || html.contains("<style") || html.contains("style=")
                            || java.util.regex.Pattern.compile(" on[a-z]+=").matcher(html).find(),
                    path + " has no inline script or style, which the policy would block:\n" + html);
            assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/terrace.css\">"), html);
            assertTrue(html.contains("<meta name=\"viewport\""), html);
        }
        HttpResponse<String> js = f.get("/terrace.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
        assertTrue(js.body().contains("/api/version"), "the script polls the version");
        HttpResponse<String> css = f.get("/terrace.css");
        assertEquals(200, css.statusCode());
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElse(""));
        assertTrue(css.body().contains(".drifted{background:#b42318}"), css.body());
    }

    static void assertSecurityHeaders(HttpResponse<?> r, String what) {
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"), what + ": " + csp);
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), what);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), what);
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""), what);
    }

    private void restartHttp(HttpLimits limits) throws IOException {
        f.http.close();
        f.http = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), f.daemon, Optional.of(DaemonFixture.WEBHOOK_SECRET),
                Optional.empty(), Optional.empty(), limits);
    }

    /** What the server answers to {@code request} written as is, up to the end of the connection. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", f.http.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return readToEnd(s.getInputStream());
        }
    }

    /** Everything until the server closes the connection (a reset counts as closed). */
    private static String readToEnd(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed with unread bytes on our side: closed all the same
        }
        return out.toString(StandardCharsets.US_ASCII);
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
