package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.git.SpecRepo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures commit → plan visible and commit → applied for the daemon process against moto, with
 * and without the push webhook, and holds them to BRIEF §8: ≤ 5 s after a webhook, ≤ poll + 5 s
 * without. Prints the figures and writes them to {@code target/daemon-latency.txt}.
 */
@NeedsMoto
class DaemonLatencyIT {

    private static final int SAMPLES = 3;
    private static final Duration POLL = Duration.ofSeconds(5);

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

        String report = "daemon latency against moto (" + SAMPLES + " commits each, image change of one environment)\n"
                + line("poll 5s, no webhook", polled) + line("webhook, poll 1h", hooked);
        System.out.println(report);
        Path out = Path.of("target", "daemon-latency.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        Files.copy(tmp.resolve("a.log"), out.resolveSibling("daemon-latency-poll.log"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tmp.resolve("b.log"), out.resolveSibling("daemon-latency-webhook.log"), StandardCopyOption.REPLACE_EXISTING);

        for (Sample s : hooked) {
            assertTrue(s.plan.compareTo(Duration.ofSeconds(5)) <= 0, "webhook: commit → plan " + s.plan);
        }
        for (Sample s : polled) {
            assertTrue(s.plan.compareTo(POLL.plusSeconds(5)) <= 0, "poll: commit → plan " + s.plan);
        }
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
