package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Component;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.git.SpecRepo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures commit → plan visible and commit → applied for the daemon process against moto, with
 * and without the push webhook, and drift → correction with a short drift interval, and holds them
 * to BRIEF §8: ≤ 5 s after a webhook, ≤ poll + 5 s without; drift → correction within one drift
 * interval plus 10 s, held as its two parts, neither a race against the sweep's jitter or the
 * machine's load: the change is found by the first sweep that observes after it (the report after
 * the one being written at the change), and the correcting apply starts ≤ 10 s after that report.
 * Prints the figures and writes them to {@code target/daemon-latency.txt}.
 */
@NeedsMoto
class DaemonLatencyIT {

    private static final int SAMPLES = 3;
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration DRIFT_INTERVAL = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    SpecRepo origin;
    DaemonProcess daemon;
    String last;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void commitToAppliedWithAndWithoutTheWebhook() throws Exception {
        URI endpoint = Moto.endpoint();
        Moto.reset();
        origin = SpecRepo.init(tmp.resolve("origin"));
        String first = commit(0);

        daemon = DaemonProcess.start(origin.dir(), tmp.resolve("data"), endpoint, "5s", "1h", tmp.resolve("a.log"));
        awaitApplied(first);
        List<Sample> polled = new ArrayList<>();
        for (int i = 1; i <= SAMPLES; i++) {
            polled.add(measure(i, false));
        }
        daemon.terminate();

        daemon = DaemonProcess.start(origin.dir(), tmp.resolve("data"), endpoint, "1h", "1h", tmp.resolve("b.log"));
        // The restart's own pass (it checks every environment against live state) comes first.
        await().atMost(Duration.ofMinutes(3)).until(() -> daemon.environment("it-lat").path("passes").asInt() >= 1);
        awaitApplied(last);
        List<Sample> hooked = new ArrayList<>();
        for (int i = SAMPLES + 1; i <= 2 * SAMPLES; i++) {
            hooked.add(measure(i, true));
        }

        daemon.terminate();

        daemon = DaemonProcess.start(origin.dir(), tmp.resolve("data"), endpoint, "1h",
                DRIFT_INTERVAL.toSeconds() + "s", tmp.resolve("c.log"));
        await().atMost(Duration.ofMinutes(3)).until(() -> daemon.environment("it-lat").path("passes").asInt() >= 1);
        List<DriftSample> drifts = new ArrayList<>();
        try (AwsClients aws = Moto.clients()) {
            for (int i = 0; i < SAMPLES; i++) {
                drifts.add(drift(aws));
            }
        }

        String report = "daemon latency against moto (" + SAMPLES + " commits each, image change of one environment)\n"
                + line("poll 5s, no webhook", polled) + line("webhook, poll 1h", hooked)
                + driftLine(drifts);
        System.out.println(report);
        Path out = Path.of("target", "daemon-latency.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        Files.copy(tmp.resolve("a.log"), out.resolveSibling("daemon-latency-poll.log"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tmp.resolve("b.log"), out.resolveSibling("daemon-latency-webhook.log"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tmp.resolve("c.log"), out.resolveSibling("daemon-latency-drift.log"), StandardCopyOption.REPLACE_EXISTING);

        for (Sample s : hooked) {
            assertTrue(s.plan.compareTo(Duration.ofSeconds(5)) <= 0, "webhook: commit → plan " + s.plan);
        }
        for (Sample s : polled) {
            assertTrue(s.plan.compareTo(POLL.plusSeconds(5)) <= 0, "poll: commit → plan " + s.plan);
        }
        for (DriftSample d : drifts) {
            // The sweep writing its report just after the change may have observed before it; the next must find it.
            assertTrue(d.sweep() <= 2, "the change was found by sweep report " + d.sweep() + " after it");
            assertTrue(d.issued().compareTo(Duration.ofSeconds(10)) <= 0, "drift detected → correcting apply " + d.issued());
        }
    }

    /**
     * Scales the web service to 50 tasks (its range is 1..2) as an operator would in the console,
     * and waits for the daemon to scale it back. Follows {@code /api/drift} meanwhile to see which
     * sweep found the change.
     */
    private DriftSample drift(AwsClients aws) {
        String cluster = ResourceNames.ecsCluster("it-lat");
        String web = ResourceNames.ecsService(Component.WEB);
        int passes = daemon.environment("it-lat").path("passes").asInt();
        String previous = generatedAt();
        Instant changed = Instant.now();
        aws.ecs.updateService(b -> b.cluster(cluster).service(web).desiredCount(50));
        List<String> reports = new ArrayList<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode report = daemon.json("/api/drift");
            String at = report.path("generatedAt").asText();
            if (!at.isEmpty() && !at.equals(previous) && !reports.contains(at)) {
                reports.add(at);
            }
            // The report before the change may still show the previous sample's drift.
            return !reports.isEmpty() && driftedIn(report, "it-lat");
        });
        Instant detected = Instant.parse(reports.get(reports.size() - 1));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                aws.ecs.describeServices(b -> b.cluster(cluster).services(web)).services().get(0).desiredCount() <= 2);
        Duration corrected = Duration.between(changed, Instant.now());
        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.environment("it-lat").path("passes").asInt() > passes);
        JsonNode apply = daemon.environment("it-lat").path("history").get(0);
        assertEquals("apply", apply.path("kind").asText());
        assertEquals("sweep", apply.path("trigger").asText());
        assertEquals("applied", apply.path("outcome").asText());
        Instant issued = Instant.parse(apply.path("startedAt").asText());
        return new DriftSample(reports.size(), Duration.between(detected, issued), Duration.between(changed, issued),
                corrected);
    }

    private String generatedAt() {
        try {
            return daemon.json("/api/drift").path("generatedAt").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean driftedIn(JsonNode report, String environment) {
        for (JsonNode e : report.path("environments")) {
            if (e.path("environment").asText().equals(environment)) {
                return e.path("drifted").asBoolean();
            }
        }
        return false;
    }

    /**
     * @param sweep    which sweep report since the change found it (1: the first one written after
     *                 it, which may have observed before it; 2: the next)
     * @param issued   detected (the finding report's time) → the correcting apply starts
     * @param overall  out-of-band change → the correcting apply starts
     * @param corrected out-of-band change → desired count back in range
     */
    private record DriftSample(int sweep, Duration issued, Duration overall, Duration corrected) {}

    private static String driftLine(List<DriftSample> samples) {
        StringBuilder b = new StringBuilder("  drift interval " + DRIFT_INTERVAL.toSeconds()
                + "s: found by sweep report");
        samples.forEach(d -> b.append(' ').append(d.sweep()));
        b.append(" after the change; detected → correcting apply starts");
        samples.forEach(d -> b.append(' ').append(d.issued().toMillis()).append("ms"));
        b.append("; out-of-band change → correcting apply starts");
        samples.forEach(d -> b.append(' ').append(d.overall().toMillis()).append("ms"));
        b.append("; → live state corrected");
        samples.forEach(d -> b.append(' ').append(d.corrected().toMillis()).append("ms"));
        return b.append('\n').toString();
    }

    private Sample measure(int i, boolean webhook) throws Exception {
        String revision = commit(i);
        long start = System.nanoTime();
        if (webhook) {
            assertEquals(202, daemon.push("main"));
        }
        awaitApplied(revision);
        Duration applied = Duration.ofNanos(System.nanoTime() - start);
        JsonNode apply = daemon.environment("it-lat").path("history").get(0);
        assertEquals("apply", apply.path("kind").asText());
        Duration applyTime = Duration.ofMillis(apply.path("durationMs").asLong());
        return new Sample(applied.minus(applyTime), applied);
    }

    private String commit(int i) {
        origin.write(path("it-lat"), environment("it-lat", "1.0." + i));
        last = origin.commit("it-lat 1.0." + i);
        return last;
    }

    private void awaitApplied(String revision) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                daemon.environment("it-lat").path("lastAppliedRevision").asText().equals(revision));
    }

    /** @param plan commit → plan computed (applied minus the apply's own duration) */
    private record Sample(Duration plan, Duration applied) {}

    private static String line(String label, List<Sample> samples) {
        StringBuilder b = new StringBuilder("  " + label + ": commit → plan");
        samples.forEach(s -> b.append(' ').append(s.plan.toMillis()).append("ms"));
        b.append("; commit → applied");
        samples.forEach(s -> b.append(' ').append(s.applied.toMillis()).append("ms"));
        return b.append('\n').toString();
    }
}
