package io.terrace.reconciler.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.github.PullRequestEvent;
import io.terrace.reconciler.github.PullRequestWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoints on the JDK's built-in server: health and readiness, Prometheus
 * metrics, the environment and drift API, the GitHub push webhook, and the dashboard. With an
 * {@link ApiToken} the API and the dashboard need it ({@link TokenGate}); probes, metrics and the
 * HMAC-signed webhook do not.
 */
public final class HttpApi implements AutoCloseable {

    public static final String WEBHOOK_SECRET_ENV = "TERRACE_WEBHOOK_SECRET";
    private static final Logger LOG = LoggerFactory.getLogger("terrace.http");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;
    private static final int HISTORY = 20;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Daemon daemon;
    private final Optional<WebhookSignature> webhook;
    private final Optional<PullRequestWebhook> pullRequests;
    private final Optional<TokenGate> gate;

    private HttpApi(HttpServer server, ExecutorService threads, Daemon daemon, Optional<WebhookSignature> webhook,
                    Optional<PullRequestWebhook> pullRequests, Optional<ApiToken> apiToken) {
        this.server = server;
        this.threads = threads;
        this.daemon = daemon;
        this.webhook = webhook;
        this.pullRequests = pullRequests;
        this.gate = apiToken.map(TokenGate::new);
    }

    /**
     * Listens on {@code address} (port 0 picks a free one).
     *
     * @param webhookSecret the shared secret of the GitHub webhook; without one the hook is refused
     */
    public static HttpApi start(InetSocketAddress address, Daemon daemon, Optional<String> webhookSecret)
            throws IOException {
        return start(address, daemon, webhookSecret, Optional.empty());
    }

    /** @param pullRequests plans pull requests and comments on them, when a GitHub token is set */
    public static HttpApi start(InetSocketAddress address, Daemon daemon, Optional<String> webhookSecret,
                                Optional<PullRequestWebhook> pullRequests) throws IOException {
        return start(address, daemon, webhookSecret, pullRequests, Optional.empty());
    }

    /** @param apiToken when present, the API and the dashboard answer only requests that carry it */
    public static HttpApi start(InetSocketAddress address, Daemon daemon, Optional<String> webhookSecret,
                                Optional<PullRequestWebhook> pullRequests, Optional<ApiToken> apiToken)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "terrace-http");
            t.setDaemon(true);
            return t;
        });
        HttpApi api = new HttpApi(server, threads, daemon,
                webhookSecret.filter(s -> !s.isEmpty()).map(WebhookSignature::new), pullRequests, apiToken);
        server.createContext("/", api::handle);
        server.setExecutor(threads);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/hooks/github")) {
                if (!method.equals("POST")) {
                    send(ex, 405, "text/plain", "POST only\n");
                } else {
                    webhook(ex);
                }
                return;
            }
            if (gate.isPresent() && !gate.get().admit(ex)) {
                return;
            }
            if (method.equals("POST")) {
                action(ex, path);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, 405, "text/plain", "GET only\n");
                return;
            }
            switch (path) {
                case "/healthz" -> send(ex, 200, "text/plain", "ok\n");
                case "/readyz" -> send(ex, daemon.repository().ready() ? 200 : 503, "text/plain",
                        daemon.repository().ready() ? "ready\n" : "not ready: no successful fetch yet\n");
                case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", daemon.metrics().scrape());
                case "/api/environments", "/api/environments/" -> json(ex, 200, Map.of("environments",
                        daemon.statuses().all().stream().map(StatusJson::summary).toList(),
                        "daemon", daemon.conditions().stream().map(StatusJson::condition).toList()));
                case "/api/drift" -> {
                    Optional<String> report = daemon.reports().latestJson();
                    if (report.isPresent()) {
                        send(ex, 200, "application/json", report.get());
                    } else {
                        json(ex, 404, Map.of("error", "no drift sweep has run yet"));
                    }
                }
                case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", DashboardPage.render(
                        daemon.statuses().all(), daemon.repository().commit().map(ObjectId::name),
                        daemon.repository().repositoryPause(), daemon.repository().lastSync(), daemon.config().branch()));
                default -> {
                    if (path.startsWith("/api/environments/")) {
                        environment(ex, path.substring("/api/environments/".length()));
                    } else if (path.startsWith("/environments/")) {
                        environmentPage(ex, path.substring("/environments/".length()));
                    } else {
                        json(ex, 404, Map.of("error", "not found: " + path));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event=http-error path={} error=\"{}\"", ex.getRequestURI().getPath(), e.toString());
            try {
                json(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
            } catch (IOException | RuntimeException ignored) {
                // The response was already started; the client sees a cut connection.
            }
        }
    }

    /**
     * The two things the API does rather than shows: {@code POST /api/refresh} fetches now (Argo
     * CD's "Refresh"), {@code POST /api/environments/{name}/sync} queues a pass of one environment
     * ("Sync"). A request a browser sends from another site's page (its {@code Origin} is not this
     * server) is refused, so a page cannot trigger passes through a visitor's browser.
     */
    private void action(HttpExchange ex, String path) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !sameSite(ex, origin.replaceFirst("^https?://", ""))) {
            json(ex, 403, Map.of("error", "cross-site request refused"));
            return;
        }
        if (path.equals("/api/refresh")) {
            daemon.pollNow();
            accepted(ex, "/", Map.of("status", "fetch queued"));
        } else if (path.startsWith("/api/environments/") && path.endsWith("/sync")) {
            String name = path.substring("/api/environments/".length(), path.length() - "/sync".length());
            if (!daemon.syncNow(name)) {
                json(ex, 404, Map.of("error", "unknown environment: " + name));
                return;
            }
            String page = "/environments/" + name;
            String referer = Optional.ofNullable(ex.getRequestHeaders().getFirst("Referer")).orElse("");
            accepted(ex, referer.endsWith(page) ? page : "/", Map.of("status", "sync queued", "environment", name));
        } else {
            send(ex, 405, "text/plain", "GET only\n");
        }
    }

    /** The page that sent the request is this server's, directly or through a proxy. */
    private static boolean sameSite(HttpExchange ex, String originHost) {
        return originHost.equals(ex.getRequestHeaders().getFirst("Host"))
                || originHost.equals(ex.getRequestHeaders().getFirst("X-Forwarded-Host"));
    }

    /**
     * {@code 202} with {@code body}; or, for the dashboard's forms (a browser that wants a page
     * back), {@code 303} to {@code page}, the page the form was on.
     */
    private static void accepted(HttpExchange ex, String page, Map<String, Object> body) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("text/html")) {
            ex.getResponseHeaders().set("Location", page);
            ex.sendResponseHeaders(303, -1);
        } else {
            json(ex, 202, body);
        }
    }

    private void environmentPage(HttpExchange ex, String name) throws IOException {
        Optional<EnvironmentStatus> status = daemon.statuses().find(name);
        if (status.isEmpty()) {
            send(ex, 404, "text/html; charset=utf-8", DashboardPage.head("Unknown environment")
                    + "<p>No environment " + DashboardPage.esc(name) + ". <a href=\"/\">All environments</a></p>\n");
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", EnvironmentPage.render(status.get(), daemon.history().recent(name, HISTORY)));
    }

    private void environment(HttpExchange ex, String name) throws IOException {
        Optional<EnvironmentStatus> status = daemon.statuses().find(name);
        if (status.isEmpty()) {
            json(ex, 404, Map.of("error", "unknown environment: " + name));
            return;
        }
        json(ex, 200, StatusJson.detail(status.get(), daemon.history().recent(name, HISTORY)));
    }

    /**
     * A GitHub push: verified against the shared secret, then one immediate fetch. A pull_request
     * delivery, when a GitHub token is set, queues a plan comment (docs/pull-requests.md). Other
     * events and pushes to other branches are acknowledged and ignored.
     */
    private void webhook(HttpExchange ex) throws IOException {
        if (webhook.isEmpty()) {
            json(ex, 403, Map.of("error", "webhook disabled: set " + WEBHOOK_SECRET_ENV));
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            json(ex, 413, Map.of("error", "payload over 1 MiB"));
            return;
        }
        if (!webhook.get().verify(body, ex.getRequestHeaders().getFirst(WebhookSignature.HEADER))) {
            LOG.warn("event=webhook-rejected reason=signature remote={}", ex.getRemoteAddress().getAddress().getHostAddress());
            json(ex, 401, Map.of("error", "signature does not match"));
            return;
        }
        String event = Optional.ofNullable(ex.getRequestHeaders().getFirst("X-GitHub-Event")).orElse("");
        if (event.equals("ping")) {
            json(ex, 200, Map.of("status", "pong"));
            return;
        }
        if (event.equals(PullRequestEvent.EVENT) && pullRequests.isPresent()) {
            PullRequestWebhook.Reception r;
            try {
                r = pullRequests.get().receive(event, payload(body, ex.getRequestHeaders().getFirst("Content-Type")));
            } catch (IOException | IllegalArgumentException e) {
                r = PullRequestWebhook.Reception.MALFORMED;
            }
            json(ex, r.status(), Map.of("status", r.text()));
            return;
        }
        if (!event.equals("push")) {
            json(ex, 202, Map.of("status", "ignored", "reason", "event " + event));
            return;
        }
        String ref;
        try {
            ref = payload(body, ex.getRequestHeaders().getFirst("Content-Type")).path("ref").asText("");
        } catch (IOException | IllegalArgumentException e) {
            json(ex, 400, Map.of("error", "payload is not JSON"));
            return;
        }
        String wanted = "refs/heads/" + daemon.config().branch();
        if (!ref.equals(wanted)) {
            json(ex, 202, Map.of("status", "ignored", "reason", "push to " + ref + ", watching " + wanted));
            return;
        }
        daemon.pollNow();
        LOG.info("event=webhook ref={} action=fetch", ref);
        json(ex, 202, Map.of("status", "fetch triggered", "ref", ref));
    }

    /**
     * The push payload: the body itself for content type {@code application/json}, the
     * {@code payload} form field for GitHub's {@code application/x-www-form-urlencoded} option.
     * The signature covers the raw body either way.
     */
    private static JsonNode payload(byte[] body, String contentType) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String field : text.split("&")) {
                if (field.startsWith("payload=")) {
                    return JSON.readTree(URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8));
                }
            }
            throw new IllegalArgumentException("no payload field");
        }
        return JSON.readTree(text);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    /** A one-line JSON error, {@code {"error":"…"}}, for clients that read the first line. */
    static void sendLine(HttpExchange ex, int status, String error) throws IOException {
        send(ex, status, "application/json", JSON_LINE.writeValueAsString(Map.of("error", error)) + "\n");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
