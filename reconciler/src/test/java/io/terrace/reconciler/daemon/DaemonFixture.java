package io.terrace.reconciler.daemon;

import static org.awaitility.Awaitility.await;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.engine.MutableClock;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecRepo;
import io.terrace.reconciler.http.ApiToken;
import io.terrace.reconciler.http.HttpApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A daemon running for real on a temporary spec repository: real git, real Quartz, real H2 and
 * HTTP, with the in-memory cloud as Observer and Executor. Polls and sweeps are started by the
 * test (the schedules are an hour apart) and awaited, never slept for.
 */
final class DaemonFixture implements AutoCloseable {

    static final String WEBHOOK_SECRET = "It's a Secret to Everybody";
    private static final ObjectMapper JSON = new ObjectMapper();

    final SpecRepo origin;
    final InMemoryCloud cloud;
    final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    final Path data;
    Daemon daemon;
    HttpApi http;
    /** Set before {@link #start()} to guard the API and the dashboard with a token. */
    Optional<ApiToken> apiToken = Optional.empty();
    /** Set before {@link #start()}: the environment variables the daemon reads (notifications, tokens). */
    Map<String, String> env = Map.of();
    /** Set before {@link #start()}: how the daemon reads a commit's specs. */
    SnapshotReader reader = SnapshotReader.SPECS;
    /** Set before {@link #start()}: the apply lease of the environments' account and region. */
    ApplyLease lease = ApplyLease.UNCONTESTED;
    /** Set before {@link #start()}: what the failover API calls. */
    io.terrace.reconciler.engine.Failover failover = (e, r) -> {
        throw new io.terrace.reconciler.engine.Failover.Refused(e + ": no failover in this fixture");
    };
    /** Set before {@link #start()}: what the daemon's origin secret rotation calls. */
    OriginSecretRotator originSecrets = OriginSecretRotator.NONE;
    /** Set before {@link #start()}: the history the daemon writes (else its own H2 file in the data folder). */
    Optional<io.terrace.reconciler.history.HistoryStore> history = Optional.empty();
    private final HttpClient client = HttpClient.newHttpClient();

    DaemonFixture(Path tmp) {
        this(tmp, new InMemoryCloud());
    }

    /** A daemon on an existing cloud: what a restart sees. */
    DaemonFixture(Path tmp, InMemoryCloud cloud) {
        this.origin = SpecRepo.init(tmp.resolve("origin"));
        this.data = tmp.resolve("data");
        this.cloud = cloud;
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    /** Stops the daemon (cleanly) and starts a new one on the same data folder and cloud. */
    DaemonFixture restart() throws Exception {
        http.close();
        daemon.close();
        return start();
    }

    DaemonFixture start() throws Exception {
        return start(c -> c);
    }

    DaemonFixture start(UnaryOperator<DaemonConfig> tune) throws Exception {
        DaemonConfig config = tune.apply(DaemonConfig.defaults(origin.dir().toString(), data)
                .withPoll(Duration.ofHours(1))
                .withDriftInterval(Duration.ofHours(1))
                .withListen(new InetSocketAddress("127.0.0.1", 0))
                .withBackoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        Daemon.Engine engine = new Daemon.Engine(cloud, cloud, PlanFunction.planner(PlanOptions.DEFAULT), reader,
                java.util.Set::of, lease, failover, originSecrets);
        daemon = Daemon.start(config, repository -> engine,
                clock, Optional.empty(), env, history);
        http = HttpApi.start(config.listen(), daemon, Optional.of(WEBHOOK_SECRET), Optional.empty(), apiToken);
        await().until(() -> daemon.polls() >= 1);
        awaitIdle();
        return this;
    }

    /** One poll, awaited with every pass it queued. */
    PollResult poll() {
        long before = daemon.polls();
        daemon.pollNow();
        await().until(() -> daemon.polls() > before);
        awaitIdle();
        return daemon.lastPoll().orElseThrow();
    }

    /** One drift sweep, awaited with every pass it queued. */
    void sweep() {
        long before = daemon.sweeps();
        daemon.sweepNow();
        await().until(() -> daemon.sweeps() > before);
        awaitIdle();
    }

    void awaitIdle() {
        await().until(daemon::idle);
    }

    EnvironmentStatus status(String env) {
        return daemon.statuses().find(env).orElseThrow(() -> new AssertionError("no status for " + env));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        origin.close();
    }
}
