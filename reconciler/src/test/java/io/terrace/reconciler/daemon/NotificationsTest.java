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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.terrace.drift.EnvironmentHealth;
import io.terrace.drift.Health;
import io.terrace.reconciler.engine.ApplyResult;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a chat webhook receives from a running daemon, and how deliveries are retried. */
class NotificationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    WireMockServer hook;
    DaemonFixture f;

    @BeforeEach
    void startHook() {
        hook = new WireMockServer(wireMockConfig().dynamicPort());
        hook.start();
        hook.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        hook.stop();
    }

    @Test
    void anApplyAFailureAndTheRecoveryAreEachToldOnce() throws Exception {
        f = new DaemonFixture(tmp);
        f.env = Map.of(Notifications.URL_ENV, hook.baseUrl() + "/hook");
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        String first = f.origin.commit("acme");
        f.start();
        awaitMessages(1);

        f.cloud.failNext("acme", 1);
        f.origin.write(path("acme"), environment("acme", "2.0.0"));
        String second = f.origin.commit("acme 2.0.0");
        f.poll();
        awaitMessages(2);
        f.poll(); // nothing new: no pass, no message
        f.origin.write(path("acme"), environment("acme", "3.0.0"));
        String third = f.origin.commit("acme 3.0.0");
        f.poll();
        awaitMessages(3);

        List<JsonNode> sent = messages();
        assertEquals(3, sent.size(), sent.toString());
        assertTrue(sent.get(0).path("text").asText().matches("acme: applied \\d+ create at " + first.substring(0, 12)),
                sent.get(0).toString());
        assertEquals("acme: failed at " + second.substring(0, 12) + ": ThrottlingException: rate exceeded",
                sent.get(1).path("text").asText());
        assertEquals("failed", sent.get(1).path("status").asText());
        assertEquals("acme", sent.get(1).path("environment").asText());
        assertTrue(sent.get(2).path("text").asText().matches(
                "acme: applied \\d+ update at " + third.substring(0, 12) + " \\(was failed\\)"), sent.get(2).toString());
    }

    @Test
    void reportedDriftIsToldOnceNotAtEverySweep() throws Exception {
        f = new DaemonFixture(tmp);
        f.env = Map.of(Notifications.URL_ENV, hook.baseUrl() + "/hook");
        f.origin.write(path("watched"), environment("watched", "1.0.0", "drift: report"));
        f.origin.commit("watched");
        f.start();
        awaitMessages(1);
        f.cloud.drift("watched/web/task", "cpu", 4096);

        f.sweep();
        awaitMessages(2);
        f.sweep();
        f.sweep();

        List<JsonNode> sent = messages();
        assertEquals(2, sent.size(), sent.toString());
        assertTrue(sent.get(1).path("text").asText().startsWith("watched: drifted at "), sent.get(1).toString());
        assertTrue(sent.get(1).path("text").asText().endsWith("1 resource(s) drifted, not corrected"),
                sent.get(1).toString());
    }

    @Test
    void aServerErrorIsRetriedAndARefusalIsNot() {
        hook.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        hook.stubFor(post("/flaky").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        hook.stubFor(post("/gone").willReturn(aResponse().withStatus(404)));
        EnvironmentStatus before = EnvironmentStatus.pending("acme", Optional.empty());
        EnvironmentStatus failed = failed(before);

        try (Notifications flaky = new Notifications(Optional.of(URI.create(hook.baseUrl() + "/flaky")), Duration.ofMillis(10));
             Notifications gone = new Notifications(Optional.of(URI.create(hook.baseUrl() + "/gone")), Duration.ofMillis(10))) {
            flaky.passed(before, failed, Optional.empty(), false);
            gone.passed(before, failed, Optional.empty(), false);
        }

        hook.verify(2, postRequestedFor(urlEqualTo("/flaky")));
        hook.verify(1, postRequestedFor(urlEqualTo("/gone")));
    }

    @Test
    void whatIsWorthSaying() {
        EnvironmentStatus pending = EnvironmentStatus.pending("acme", Optional.empty());
        EnvironmentStatus failed = failed(pending);
        EnvironmentStatus synced = with(pending, Condition.SYNCED, "live state matches the spec");
        EnvironmentStatus paused = with(pending, Condition.PAUSED, "paused: release freeze");
        Optional<ApplyResult> nothing = Optional.empty();

        assertEquals(Optional.of("acme: failed at abc: AccessDenied"), Notifications.message(pending, failed, nothing, false));
        assertEquals(Optional.empty(), Notifications.message(failed, failed, nothing, false), "not repeated");
        assertEquals(Optional.of("acme: synced again at abc (was failed)"),
                Notifications.message(failed, synced, nothing, false));
        assertEquals(Optional.empty(), Notifications.message(pending, synced, nothing, false), "a start says nothing");
        assertEquals(Optional.empty(), Notifications.message(synced, paused, nothing, false), "a pause is someone's act");
    }

    @Test
    void healthIsToldWhenItTurnsDegradedAndWhenItRecovers() {
        EnvironmentStatus pending = EnvironmentStatus.pending("acme", Optional.empty());
        EnvironmentStatus healthy = health(pending, new EnvironmentHealth(Health.HEALTHY, List.of()));
        EnvironmentStatus degraded = health(pending, new EnvironmentHealth(Health.DEGRADED,
                List.of("web: 1/2 tasks running", "alarm terrace-acme-db-cpu in ALARM")));
        EnvironmentStatus progressing = health(pending, new EnvironmentHealth(Health.PROGRESSING,
                List.of("cdn distribution InProgress")));

        assertEquals(Optional.of("acme: degraded: web: 1/2 tasks running (and 1 more)"),
                Notifications.healthMessage(healthy, degraded));
        assertEquals(Optional.empty(), Notifications.healthMessage(degraded, degraded), "not repeated");
        assertEquals(Optional.of("acme: recovered, healthy (was degraded)"), Notifications.healthMessage(degraded, healthy));
        assertEquals(Optional.of("acme: recovered, progressing (was degraded)"),
                Notifications.healthMessage(degraded, progressing));
        assertEquals(Optional.empty(), Notifications.healthMessage(pending, healthy), "a start says nothing");
        assertEquals(Optional.empty(), Notifications.healthMessage(healthy, progressing), "progress is not news");
    }

    private static EnvironmentStatus health(EnvironmentStatus s, EnvironmentHealth h) {
        return new EnvironmentStatus(s.name(), s.condition(), s.reason(), s.revision(), s.pausedReason(), s.tier(),
                s.stage(), s.driftMode(), s.diagnostics(), s.pending(), s.drifted(), s.lastAppliedRevision(),
                s.lastAttemptedRevision(), s.lastReconciledAt(), s.nextAttemptAt(), s.failures(), s.passes(), h);
    }

    private static EnvironmentStatus failed(EnvironmentStatus s) {
        return with(s, Condition.FAILED, "AccessDenied");
    }

    private static EnvironmentStatus with(EnvironmentStatus s, Condition condition, String reason) {
        return new EnvironmentStatus(s.name(), condition, reason, "abc", s.pausedReason(), s.tier(), s.stage(),
                s.driftMode(), s.diagnostics(), s.pending(), s.drifted(), s.lastAppliedRevision(),
                s.lastAttemptedRevision(), s.lastReconciledAt(), s.nextAttemptAt(), s.failures(), s.passes(), s.health());
    }

    private void awaitMessages(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.findAll(postRequestedFor(urlEqualTo("/hook"))).size() >= n);
    }

    private List<JsonNode> messages() throws Exception {
        // Let a message that should not come have its chance to arrive.
        f.awaitIdle();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (LoggedRequest r : hook.findAll(postRequestedFor(urlEqualTo("/hook")))) {
            out.add(JSON.readTree(r.getBodyAsString()));
        }
        return out;
    }
}
