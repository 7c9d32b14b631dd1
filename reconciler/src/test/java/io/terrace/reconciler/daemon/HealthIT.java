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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.cli.TerraceCli;
import io.terrace.reconciler.engine.MutableClock;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecRepo;
import io.terrace.reconciler.http.HttpApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Health next to sync against moto, through a daemon in this JVM (real git, Quartz, H2, HTTP, AWS
 * SDK): tasks short of their count after the rollout deadline, then an alarm put into ALARM with
 * SetAlarmState, each turn the environment degraded in the API, {@code /metrics} and
 * {@code terrace status}, with one notification, and back to healthy with one recovery notification.
 */
@NeedsMoto
class HealthIT {

    private static final String ENV = "it-health";
    private static final String ALARM = "terrace-" + ENV + "-db-cpu";
    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    WireMockServer hook;
    SpecRepo origin;
    AwsRegions regions;
    AwsClients aws;
    Daemon daemon;
    HttpApi http;
    // Real time to start with: moto dates each ECS deployment by its own clock.
    final MutableClock clock = new MutableClock(Instant.now());
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        URI endpoint = Moto.endpoint();
        Moto.reset();
        aws = Moto.clients();
        hook = new WireMockServer(wireMockConfig().dynamicPort());
        hook.start();
        hook.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        origin = SpecRepo.init(tmp.resolve("origin"));
        origin.write(path(ENV), environment(ENV, "1.0.0"));
        origin.commit("one environment");
        regions = new AwsRegions(Optional.of(endpoint), Optional.empty(), new AwsCallCounter());
        DaemonConfig config = DaemonConfig.defaults(origin.dir().toString(), tmp.resolve("data"))
                .withPoll(Duration.ofHours(1))
                .withDriftInterval(Duration.ofHours(1))
                .withListen(new InetSocketAddress("127.0.0.1", 0));
        daemon = Daemon.start(config, repository -> {
            RegionalAws regional = new RegionalAws(regions, repository);
            return new Daemon.Engine(regional, regional, PlanFunction.planner(PlanOptions.DEFAULT),
                    SnapshotReader.SPECS, regional::discover);
        }, clock, Optional.of(regions.counter()), Map.of(Notifications.URL_ENV, hook.baseUrl() + "/hook"));
        http = HttpApi.start(config.listen(), daemon, Optional.empty());
    }

    @AfterEach
    void tearDown() {
        if (http != null) {
            http.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        regions.close();
        aws.close();
        origin.close();
        hook.stop();
    }

    @Test
    void tasksShortOfTheirCountAndAnAlarmInAlarmDegradeTheEnvironmentOnceAndItRecoversOnce() throws Exception {
        await().atMost(CONVERGE).until(() -> "synced".equals(environmentJson().path("status").asText()));
        awaitMessages(1); // the apply

        // moto reports every service's tasks running (scripts/moto.sh), so a crash-looping service
        // cannot be staged here: EnvironmentHealthTest covers tasks short of their count.
        sweep();
        assertEquals("healthy", environmentJson().path("health").asText(), environmentJson().toString());

        aws.cloudWatch.putMetricAlarm(r -> r.alarmName(ALARM).namespace("AWS/RDS").metricName("CPUUtilization")
                .statistic(Statistic.AVERAGE).period(60).evaluationPeriods(1).threshold(90.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        aws.cloudWatch.putMetricAlarm(r -> r.alarmName("terrace-" + ENV + "-quiet").namespace("AWS/ECS")
                .metricName("CPUUtilization").statistic(Statistic.AVERAGE).period(60).evaluationPeriods(1)
                .threshold(90.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        aws.cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.ALARM).stateReason("test"));
        sweep();
        JsonNode alarmed = environmentJson();
        assertEquals("degraded", alarmed.path("health").asText(), alarmed.toString());
        assertEquals("[\"alarm " + ALARM + " in ALARM\"]", alarmed.path("healthReasons").toString(),
                "only the alarm in ALARM");
        JsonNode listed = json("/api/environments").path("environments").get(0);
        assertEquals("degraded", listed.path("health").asText());
        String metrics = get("/metrics");
        assertTrue(metrics.contains("terrace_environment_health{environment=\"" + ENV + "\",health=\"degraded\"} 1.0"), metrics);
        assertTrue(metrics.contains("terrace_environment_health{environment=\"" + ENV + "\",health=\"healthy\"} 0.0"), metrics);

        assertTrue(get("/").contains("<span class=\"s h-degraded\">degraded</span> alarm " + ALARM + " in ALARM"),
                "the dashboard's health column, with the first reason");
        assertTrue(get("/environments/" + ENV).contains("<li>alarm " + ALARM + " in ALARM</li>"), "the environment page");

        Cli viaDaemon = cli("status", "--daemon", "http://127.0.0.1:" + http.port());
        assertEquals(TerraceCli.CHANGES, viaDaemon.exit(), viaDaemon.out() + viaDaemon.err());
        assertEquals(ENV + "  synced       degraded     alarm " + ALARM + " in ALARM\n", viaDaemon.out());
        Cli observing = cli("status", "--repo", origin.dir().toString(), "--endpoint-url", Moto.endpoint().toString());
        assertEquals(TerraceCli.CHANGES, observing.exit(), observing.out() + observing.err());
        assertEquals(ENV + "  synced       degraded     alarm " + ALARM + " in ALARM\n", observing.out());
        await().atMost(Duration.ofSeconds(20)).until(() -> messages().stream()
                .anyMatch(m -> m.path("text").asText().contains(": degraded: alarm ")));

        aws.cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.OK).stateReason("test"));
        sweep();
        sweep(); // a second healthy pass says nothing more
        await().atMost(Duration.ofSeconds(20)).until(() -> messages().stream()
                .anyMatch(m -> m.path("text").asText().contains(": recovered, ")));
        assertEquals("healthy", environmentJson().path("health").asText(), environmentJson().toString());
        assertEquals(TerraceCli.OK, cli("status", "--daemon", "http://127.0.0.1:" + http.port()).exit());

        List<JsonNode> all = messages();
        List<String> texts = all.stream().map(m -> m.path("text").asText()).toList();
        assertTrue(texts.get(0).startsWith(ENV + ": applied "), texts.toString());
        // Health speaks once per transition; applies (the HTTPS listener once the certificate is
        // issued) speak for themselves.
        List<JsonNode> health = all.stream().filter(m -> !m.path("text").asText().contains("applied")).toList();
        assertEquals(List.of(ENV + ": degraded: alarm " + ALARM + " in ALARM", ENV + ": recovered, healthy (was degraded)"),
                health.stream().map(m -> m.path("text").asText()).toList(), texts.toString());
        assertEquals("degraded", health.get(0).path("health").asText());
    }

    private void sweep() {
        long before = daemon.sweeps();
        daemon.sweepNow();
        await().atMost(CONVERGE).until(() -> daemon.sweeps() > before);
        await().atMost(CONVERGE).until(daemon::idle);
    }

    private JsonNode environmentJson() throws Exception {
        return json("/api/environments/" + ENV);
    }

    private JsonNode json(String path) throws Exception {
        return JSON.readTree(get(path));
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitMessages(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() >= n);
    }

    private List<JsonNode> messages() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : hook.findAll(postRequestedFor(urlEqualTo("/hook")))) {
            out.add(JSON.readTree(r.getBodyAsString()));
        }
        return out;
    }

    private record Cli(int exit, String out, String err) {}

    private static Cli cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = TerraceCli.run(args);
            return new Cli(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
