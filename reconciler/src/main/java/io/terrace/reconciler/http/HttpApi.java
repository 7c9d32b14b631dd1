package io.terrace.reconciler.http;

import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.github.PullRequestWebhook;
import java.io.IOException;
import java.net.InetSocketAddress;
import io.terrace.reconciler.engine.Failover;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoints on an embedded Jetty: health and readiness, Prometheus metrics, the
 * environment and drift API, the GitHub push webhook, and the dashboard. With an {@link ApiToken}
 * the API and the dashboard need it ({@link TokenGate}); probes, metrics and the HMAC-signed
 * webhook do not. A connection that sends nothing, or half a request, holds no thread and is
 * dropped after {@link HttpLimits#headerTimeout()}; the webhook's body is read without holding one.
 */
public final class HttpApi implements AutoCloseable {

    public static final String WEBHOOK_SECRET_ENV = "TERRACE_WEBHOOK_SECRET";
    private static final Logger LOG = LoggerFactory.getLogger("terrace.http");
    private static final int HISTORY = 20;
    private static final java.time.Duration FAILOVER_ANSWER_WAIT = java.time.Duration.ofSeconds(3);
    private static final long SHUTDOWN_IDLE_MILLIS = 250;

    private final Server server;
    private final Daemon daemon;
    private final HttpLimits limits;
    private final GitHubHook webhook;
    private final Optional<TokenGate> gate;
    private final DashboardPage pages;

    private HttpApi(Server server, Daemon daemon, HttpLimits limits, GitHubHook webhook, Optional<ApiToken> apiToken) {
        this.server = server;
        this.daemon = daemon;
        this.limits = limits;
        this.webhook = webhook;
        this.gate = apiToken.map(TokenGate::new);
        this.pages = new DashboardPage(daemon);
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
        return start(address, daemon, webhookSecret, pullRequests, apiToken, HttpLimits.DEFAULT);
    }

    /** @param limits threads, timeouts and sizes; {@link HttpLimits#DEFAULT} in the daemon */
    public static HttpApi start(InetSocketAddress address, Daemon daemon, Optional<String> webhookSecret,
                                Optional<PullRequestWebhook> pullRequests, Optional<ApiToken> apiToken,
                                HttpLimits limits) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 4);
        threads.setName("terrace-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(limits.stopTimeout().toMillis());
        server.setStopAtShutdown(false); // the daemon's own shutdown hook stops it, before the daemon
        server.setErrorHandler(new JsonErrorHandler());
        HttpApi api = new HttpApi(server, daemon, limits, new GitHubHook(
                webhookSecret.filter(s -> !s.isEmpty()).map(WebhookSignature::new), pullRequests, daemon,
                limits.maxWebhookBytes()), apiToken);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // One acceptor and one selector: two cores are plenty for the traffic a daemon sees.
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        // A connection gets headerTimeout to send its request head (and between requests); while a
        // request is being handled HandlingTimeout below allows idleTimeout.
        connector.setIdleTimeout(limits.headerTimeout().toMillis());
        // On stop, a kept-alive connection with no request on it is closed at once, not waited for.
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        server.addConnector(connector);

        Handler routes = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                api.handle(new Exchange(request, response, callback));
                return true;
            }
        };
        // A webhook body is held in memory until it is complete: only so many at once. The
        // others wait, on no thread, for a place.
        QoSHandler webhooks = new QoSHandler(routes);
        webhooks.includePath("/hooks/github");
        webhooks.setMaxRequestCount(limits.maxWebhooksInFlight());
        webhooks.setMaxSuspend(limits.headerTimeout());
        server.setHandler(new GracefulHandler(new HandlingTimeout(webhooks, limits.idleTimeout(), limits.headerTimeout())));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        return api;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private void handle(Exchange ex) {
        ex.setHeader("Cache-Control", "no-store");
        SecurityHeaders.addTo(ex.response().getHeaders());
        try {
            route(ex);
        } catch (RuntimeException e) {
            ex.fail(e);
        }
    }

    /** The routes: probes, metrics, the API, the pages and the webhook. */
    private void route(Exchange ex) {
        String path = ex.path();
        String method = ex.method();
        if (path.equals("/hooks/github")) {
            if (!method.equals("POST")) {
                ex.send(405, "text/plain", "POST only\n");
            } else {
                webhook.receive(ex);
            }
            return;
        }
        if (ex.request().getLength() > limits.maxBodyBytes()) {
            ex.json(413, Map.of("error", "request body over " + limits.maxBodyBytes() + " bytes"));
            return;
        }
        // Who asked: the name of the request's token; "api" when the API is open.
        Optional<String> who = gate.isPresent() ? gate.get().admit(ex) : Optional.of(ApiToken.DEFAULT_NAME);
        if (who.isEmpty()) {
            return;
        }
        if (method.equals("POST")) {
            action(ex, path, who.get());
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.send(405, "text/plain", "GET only\n");
            return;
        }
        // What reads the statuses (the dashboard polls /api/version to know when to redraw) sees
        // the applies other nodes of a cluster ran.
        if (path.equals("/") || path.equals("/index.html") || path.equals("/api/version")
                || path.startsWith("/api/environments") || path.startsWith("/environments/")) {
            daemon.statuses().catchUp();
        }
        switch (path) {
            case "/healthz" -> ex.send(200, "text/plain", "ok\n");
            case "/readyz" -> ex.send(daemon.repository().notReady().isEmpty() ? 200 : 503, "text/plain",
                    daemon.repository().notReady().map(r -> "not ready: " + r + "\n").orElse("ready\n"));
            case "/metrics" -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8", daemon.metrics().scrape());
            case "/api/environments", "/api/environments/" -> ex.json(200, Map.of("environments",
                    daemon.statuses().all().stream().map(StatusJson::summary).toList(),
                    "daemon", daemon.conditions().stream().map(StatusJson::condition).toList()));
            case "/api/drift" -> {
                Optional<String> report = daemon.driftReport();
                if (report.isPresent()) {
                    ex.send(200, "application/json", report.get());
                } else {
                    ex.json(404, Map.of("error", "no drift sweep has run yet"));
                }
            }
            case "/", "/index.html" -> ex.send(200, "text/html; charset=utf-8", pages.fleet(ex.rawQuery()));
            case DashboardPage.STYLESHEET_PATH, DashboardPage.SCRIPT_PATH -> {
                String[] asset = DashboardPage.ASSETS.get(path);
                ex.send(200, asset[0], asset[1]);
            }
            case "/api/version" -> ex.json(200, Map.of("version", daemon.statuses().version(),
                    "commit", daemon.repository().commit().map(ObjectId::name).orElse("")));
            default -> {
                if (path.startsWith("/api/environments/")) {
                    environment(ex, path.substring("/api/environments/".length()));
                } else if (path.startsWith("/environments/")) {
                    environmentPage(ex, path.substring("/environments/".length()));
                } else {
                    ex.json(404, Map.of("error", "not found: " + path));
                }
            }
        }
    }

    /**
     * The two things the API does rather than shows: {@code POST /api/refresh} fetches now (Argo
     * CD's "Refresh"), {@code POST /api/environments/{name}/sync} queues a pass of one environment
     * ("Sync"), recorded with {@code who} asked (the token's name). A request a browser sends from another site's page (its {@code Origin} is not this
     * server) is refused, so a page cannot trigger passes through a visitor's browser.
     */
    private void action(Exchange ex, String path, String who) {
        Optional<String> origin = ex.header("Origin");
        if (origin.isPresent() && !sameSite(ex, origin.get().replaceFirst("^https?://", ""))) {
            ex.json(403, Map.of("error", "cross-site request refused"));
            return;
        }
        if (path.equals("/api/refresh")) {
            daemon.pollNow();
            accepted(ex, "/", Map.of("status", "fetch queued"));
        } else if (path.startsWith("/api/environments/") && path.endsWith("/sync")) {
            String name = path.substring("/api/environments/".length(), path.length() - "/sync".length());
            if (!daemon.syncNow(name, ex.queryFlag("now"), who)) {
                ex.json(404, Map.of("error", "unknown environment: " + name));
                return;
            }
            String page = "/environments/" + name;
            String referer = ex.header("Referer").orElse("");
            accepted(ex, referer.endsWith(page) ? page : "/", Map.of("status", "sync queued", "environment", name,
                    "maintenanceWindow", ex.queryFlag("now") ? "ignored" : "respected", "by", who));
        } else if (path.startsWith("/api/environments/") && path.endsWith("/failover")) {
            failover(ex, path.substring("/api/environments/".length(), path.length() - "/failover".length()), who);
        } else {
            ex.send(405, "text/plain", "GET only\n");
        }
    }

    /**
     * {@code POST /api/environments/{name}/failover[?database=true][&cache=true][&to=INSTANCE]}:
     * starts a failover and answers {@code 200} with what was failed over if it ends within a few
     * seconds, {@code 409} with one line when there is nothing to fail over (or it failed at
     * once), else {@code 202}: it goes on, and its history entry says how it ended. Who asked is
     * recorded as {@code who}: the name of the request's token.
     */
    private void failover(Exchange ex, String name, String who) {
        Failover.Request request;
        try {
            request = new Failover.Request(ex.queryFlag("database"), ex.queryFlag("cache"), ex.query("to"));
        } catch (Failover.Refused e) {
            ex.json(400, Map.of("error", e.getMessage()));
            return;
        }
        Optional<CompletableFuture<List<String>>> started = daemon.failover(name, request, who);
        if (started.isEmpty()) {
            ex.json(404, Map.of("error", "unknown environment: " + name));
            return;
        }
        try {
            List<String> done = started.get().get(FAILOVER_ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            ex.json(200, Map.of("status", "failed over", "environment", name, "done", done, "by", who));
        } catch (TimeoutException e) {
            ex.json(202, Map.of("status", "failover started", "environment", name, "by", who));
        } catch (ExecutionException e) {
            ex.json(409, Map.of("error", String.valueOf(e.getCause().getMessage()), "environment", name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.json(202, Map.of("status", "failover started", "environment", name, "by", who));
        }
    }

    /** The page that sent the request is this server's, directly or through a proxy. */
    private static boolean sameSite(Exchange ex, String originHost) {
        return ex.header("Host").filter(originHost::equals).isPresent()
                || ex.header("X-Forwarded-Host").filter(originHost::equals).isPresent();
    }

    /**
     * {@code 202} with {@code body}; or, for the dashboard's forms (a browser that wants a page
     * back), {@code 303} to {@code page}, the page the form was on.
     */
    private static void accepted(Exchange ex, String page, Map<String, Object> body) {
        if (ex.header("Accept").filter(a -> a.contains("text/html")).isPresent()) {
            ex.setHeader("Location", page);
            ex.sendEmpty(303);
        } else {
            ex.json(202, body);
        }
    }

    private void environmentPage(Exchange ex, String name) {
        Optional<EnvironmentStatus> status = daemon.statuses().find(name);
        if (status.isEmpty()) {
            ex.send(404, "text/html; charset=utf-8", pages.missing(name));
            return;
        }
        ex.send(200, "text/html; charset=utf-8", pages.environment(status.get()));
    }

    private void environment(Exchange ex, String name) {
        Optional<EnvironmentStatus> status = daemon.statuses().find(name);
        if (status.isEmpty()) {
            ex.json(404, Map.of("error", "unknown environment: " + name));
            return;
        }
        Map<String, Object> body = StatusJson.detail(status.get(), daemon.recentHistory(name, HISTORY));
        body.put("progress", daemon.statuses().progress(name).map(StatusJson::progress).orElse(null));
        ex.json(200, body);
    }

    /** Stops taking connections, lets requests in flight finish for up to the stop timeout, then stops. */
    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (TimeoutException e) {
            // Requests still in flight after the stop timeout are cut off; that is what the timeout is for.
            LOG.atInfo().setMessage("http-stop-timeout").addKeyValue("waited_ms", server.getStopTimeout()).log();
        } catch (Exception e) {
            LOG.atWarn().setMessage("http-stop-failed").addKeyValue("error", String.valueOf(e.getMessage())).log();
        }
    }
}
