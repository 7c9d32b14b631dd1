package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.http.ApiToken;
import io.terrace.reconciler.http.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A daemon started with an API token, as curl, a browser, a probe, Prometheus and GitHub see it:
 * the API and the dashboard need the token, the rest does not.
 */
class HttpApiTokenTest {

    private static final String TOKEN = "s3cr3t-token-0123456789";

    @TempDir
    Path tmp;
    DaemonFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("acme");
        f.apiToken = Optional.of(ApiToken.of(TOKEN));
        f.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/environments", "/api/environments/acme", "/api/drift", "/", "/index.html", "/nowhere"})
    void withoutTheTokenTheApiAndDashboardAnswer401WithAChallenge(String path) throws Exception {
        HttpResponse<String> r = f.get(path);

        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"terrace\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("{\"error\":\"this endpoint needs Authorization: Bearer <token> "
                + "(in a browser, open /?token=<token> once)\"}\n", r.body());
        assertFalse(r.body().contains("acme"), "nothing about the environments leaks");
    }

    @Test
    void aWrongTokenIsRefusedAsInvalid() throws Exception {
        for (String header : new String[] {"Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, "Bearer"}) {
            HttpResponse<String> r = f.get("/api/environments", Map.of("Authorization", header));
            assertEquals(401, r.statusCode(), header);
            assertEquals("Bearer realm=\"terrace\", error=\"invalid_token\"",
                    r.headers().firstValue("WWW-Authenticate").orElse(""), header);
            assertEquals("{\"error\":\"invalid token\"}\n", r.body());
        }
    }

    @Test
    void theRightBearerTokenOpensTheApiAndTheDashboard() throws Exception {
        for (String scheme : new String[] {"Bearer ", "bearer "}) {
            Map<String, String> auth = Map.of("Authorization", scheme + TOKEN);
            HttpResponse<String> list = f.get("/api/environments", auth);
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.body().contains("\"name\" : \"acme\""), list.body());
            assertEquals(200, f.get("/api/environments/acme", auth).statusCode());
            assertEquals(404, f.get("/api/drift", auth).statusCode(), "no sweep yet, as without a token");
            HttpResponse<String> page = f.get("/", auth);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("synced"), page.body());
        }
    }

    @Test
    void probesMetricsAndTheSignedWebhookNeedNoToken() throws Exception {
        assertEquals(200, f.get("/healthz").statusCode());
        assertEquals(200, f.get("/readyz").statusCode());
        HttpResponse<String> metrics = f.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("terrace_git_fetches_total"), metrics.body());

        byte[] push = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> signed = f.post("/hooks/github", push, Map.of("X-GitHub-Event", "push",
                WebhookSignature.HEADER, new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(push)));
        HttpResponse<String> unsigned = f.post("/hooks/github", push, Map.of("X-GitHub-Event", "push",
                "Authorization", "Bearer " + TOKEN));
        assertEquals(202, signed.statusCode(), signed.body());
        assertEquals(401, unsigned.statusCode(), "the API token does not replace the webhook's signature");
        assertEquals("{\n  \"error\" : \"signature does not match\"\n}\n", unsigned.body());
    }

    @Test
    void aBrowserOpensTheDashboardWithTheTokenOnceThenByCookie() throws Exception {
        HttpResponse<String> login = f.get("/?token=" + TOKEN);

        assertEquals(303, login.statusCode());
        assertEquals("/", login.headers().firstValue("Location").orElse(""), "the token leaves the address bar");
        assertEquals("no-referrer", login.headers().firstValue("Referrer-Policy").orElse(""));
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("terrace_session=") && cookie.endsWith("; Path=/; HttpOnly; SameSite=Strict"), cookie);
        assertFalse(cookie.contains(TOKEN), "the cookie jar never holds the token itself");
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> page = f.get("/", Map.of("Cookie", "theme=dark; " + session));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("acme"), page.body());
        assertEquals(200, f.get("/api/environments/acme", Map.of("Cookie", session)).statusCode(),
                "the dashboard's links to the API work too");

        assertEquals(401, f.get("/?token=guess").statusCode());
        assertEquals(401, f.get("/", Map.of("Cookie", "terrace_session=" + "0".repeat(64))).statusCode());
        assertEquals(401, f.get("/api/environments?token=" + TOKEN).statusCode(),
                "the query parameter only opens the dashboard; API clients send the header");
    }

    @Test
    void theEnvironmentPageAndItsSyncButtonNeedTheSession() throws Exception {
        String set = f.get("/?token=" + TOKEN).headers().firstValue("Set-Cookie").orElseThrow();
        Map<String, String> session = Map.of("Cookie", set.substring(0, set.indexOf(';')));
        Map<String, String> form = Map.of("Origin", "http://127.0.0.1:" + f.http.port(), "Accept", "text/html");

        assertEquals(401, f.get("/environments/acme").statusCode());
        assertEquals(200, f.get("/environments/acme", session).statusCode());
        assertEquals(401, f.post("/api/environments/acme/sync", new byte[0], form).statusCode());
        assertEquals(401, f.post("/api/refresh", new byte[0], Map.of()).statusCode());
        Map<String, String> withSession = new java.util.HashMap<>(form);
        withSession.putAll(session);
        assertEquals(303, f.post("/api/environments/acme/sync", new byte[0], withSession).statusCode());
        assertEquals(202, f.post("/api/refresh", new byte[0], Map.of("Authorization", "Bearer " + TOKEN)).statusCode());
    }

    @Test
    void withNamedTokensASyncIsRecordedWithTheNameOfTheTokenThatAsked() throws Exception {
        f.apiToken = Optional.of(ApiToken.parse("alice  alice-token-0123\nbob: bob-token-4567\n"));
        f.restart();
        f.awaitIdle();
        Map<String, String> alice = Map.of("Authorization", "Bearer alice-token-0123");

        assertEquals(401, f.post("/api/environments/acme/sync", new byte[0], Map.of()).statusCode());
        assertEquals(401, f.post("/api/environments/acme/sync", new byte[0],
                Map.of("Authorization", "Bearer " + TOKEN)).statusCode(), "the old token is gone");
        assertEquals(401, f.get("/api/environments", Map.of("Authorization", "Bearer alice")).statusCode(),
                "a name is not a token");
        HttpResponse<String> sync = f.post("/api/environments/acme/sync", new byte[0], alice);
        assertEquals(202, sync.statusCode(), sync.body());
        f.awaitIdle();
        assertEquals("manual:alice", f.daemon.history().recent("acme", 1).get(0).trigger());

        // Bob's browser: his session cookie is his name, and the dashboard's Sync button records it.
        String set = f.get("/?token=bob-token-4567").headers().firstValue("Set-Cookie").orElseThrow();
        Map<String, String> form = new java.util.HashMap<>(Map.of("Origin", "http://127.0.0.1:" + f.http.port(),
                "Accept", "text/html", "Cookie", set.substring(0, set.indexOf(';'))));
        assertEquals(303, f.post("/api/environments/acme/sync", new byte[0], form).statusCode());
        f.awaitIdle();
        assertEquals("manual:bob", f.daemon.history().recent("acme", 1).get(0).trigger());
        String page = f.get("/environments/acme", alice).body();
        assertTrue(page.contains("<td>manual by bob</td>") && page.contains("<td>manual by alice</td>"), page);
    }

    @Test
    void rejectionsAreLoggedWithoutTheToken() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            f.get("/api/environments", Map.of("Authorization", "Bearer " + TOKEN + "-typo"));
            f.get("/api/environments?token=" + TOKEN);
            f.get("/?token=" + TOKEN);
            f.get("/api/environments", Map.of("Authorization", "Bearer " + TOKEN));
        } finally {
            System.setErr(stderr);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("event=api-rejected reason=invalid-token path=/api/environments remote=127.0.0.1"), text);
        assertFalse(text.contains(TOKEN), text);
    }

    @Test
    void aPathWithLineBreaksOrControlCharactersCannotForgeALogLine() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        HttpResponse<String> crlf;
        HttpResponse<String> unicode;
        try {
            // C0 controls (CR, LF, tab, ESC) in a path: Jetty refuses the request before any route sees it.
            crlf = f.get("/api/x%0d%0aevent=forged-c0%09%1b%5b31m");
            // Line breaks it lets through (NEL, U+2028), a right-to-left override, a space, = and a quote.
            unicode = f.get("/api/x%c2%85event=forged-nel%e2%80%a8reason=none%e2%80%ae%20%22end");
        } finally {
            System.setErr(stderr);
        }
        String text = log.toString(StandardCharsets.UTF_8);

        assertEquals(400, crlf.statusCode());
        assertTrue(crlf.body().startsWith("{\"error\":"), "one line of JSON, no stack trace: " + crlf.body());
        HttpApiTest.assertSecurityHeaders(crlf, "400 from Jetty itself");
        assertFalse(text.contains("forged-c0"), text);
        assertEquals(401, unicode.statusCode());
        HttpApiTest.assertSecurityHeaders(unicode, "401");
        java.util.List<String> lines = text.lines().filter(l -> l.contains("forged")).toList();
        assertEquals(1, lines.size(), text);
        assertTrue(lines.get(0).endsWith("event=api-rejected reason=no-token path=\"/api/x\\u0085event=forged-nel"
                + "\\u2028reason=none\\u202e%20%22end\" remote=127.0.0.1"), text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("event=") || l.startsWith("reason=")), text);
    }
}
