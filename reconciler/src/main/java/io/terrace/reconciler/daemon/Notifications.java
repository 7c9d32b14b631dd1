package io.terrace.reconciler.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.drift.Health;
import io.terrace.reconciler.engine.ApplyResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a chat webhook what people act on, as Argo CD's and Flux's notifications do: an apply
 * that changed something, and an environment whose condition turned failed, drifted (under
 * {@code drift: report}), out of sync (blocked) or invalid, or came back to synced. A condition
 * that stays the same is not repeated at every pass, and a PAUSE (someone's deliberate act, and
 * every environment at once) is not announced. Health is told the same way, apart: an environment
 * that turns degraded (with its first reason), and one that recovers from degraded to healthy or
 * progressing, each once per transition. A head of the branch that cannot be read is
 * announced once when it starts, and once when a readable commit ends it.
 *
 * <p>The body is JSON with a {@code text} line, which Slack, Mattermost and Rocket.Chat incoming
 * webhooks show as it is, and the same facts as fields for anything else. Deliveries run off the
 * pass, are retried twice on an error or a 5xx, and are logged without the URL: a webhook URL is
 * a secret.
 */
final class Notifications implements AutoCloseable {

    /** The webhook URL, {@code terrace daemon --notify}. */
    static final String URL_ENV = "TERRACE_NOTIFY_URL";
    static final int ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Condition> ANNOUNCED =
            EnumSet.of(Condition.FAILED, Condition.DRIFTED, Condition.OUT_OF_SYNC, Condition.INVALID);

    private final Optional<URI> target;
    private final Duration retryDelay;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Messages queued and neither delivered nor given up yet. */
    private final AtomicInteger unsent = new AtomicInteger();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "terrace-notify");
        t.setDaemon(true);
        return t;
    });

    Notifications(Optional<URI> target, Duration retryDelay) {
        this.target = target;
        this.retryDelay = retryDelay;
    }

    /** From {@value #URL_ENV}; without it nothing is sent. */
    static Notifications from(Map<String, String> env) {
        return new Notifications(Optional.ofNullable(env.get(URL_ENV)).filter(s -> !s.isBlank()).map(URI::create),
                Duration.ofSeconds(5));
    }

    /** Whether a webhook is set (for the start log line: the URL itself is never shown). */
    boolean enabled() {
        return target.isPresent();
    }

    /** What a pass that turned {@code before} into {@code after} is worth saying, if anything. */
    static Optional<String> message(EnvironmentStatus before, EnvironmentStatus after, Optional<ApplyResult> applied,
                                    boolean correctedDrift) {
        String env = after.name();
        String at = " at " + shortRevision(after.revision());
        List<ApplyResult.Step> done = applied.map(r -> r.steps().stream()
                .filter(s -> s.status() == ApplyResult.Status.SUCCEEDED).toList()).orElse(List.of());
        String was = ANNOUNCED.contains(before.condition()) ? " (was " + before.condition().id() + ")" : "";
        if (after.condition() == Condition.SYNCED && !done.isEmpty()) {
            return Optional.of(env + ": " + (correctedDrift ? "corrected drift, " : "") + "applied " + counts(done) + at + was);
        }
        if (after.condition() == before.condition()) {
            return Optional.empty();
        }
        if (ANNOUNCED.contains(after.condition())) {
            String why = after.diagnostics().isEmpty() ? after.reason() : after.diagnostics().get(0).toString();
            return Optional.of(env + ": " + after.condition().id() + at + ": " + why);
        }
        if (after.condition() == Condition.SYNCED && !was.isEmpty()) {
            return Optional.of(env + ": synced again" + at + was);
        }
        return Optional.empty();
    }

    /** What a change of health from {@code before} to {@code after} is worth saying, if anything. */
    static Optional<String> healthMessage(EnvironmentStatus before, EnvironmentStatus after) {
        Health was = before.health().health();
        Health now = after.health().health();
        List<String> reasons = after.health().reasons();
        if (now == Health.DEGRADED && was != Health.DEGRADED) {
            return Optional.of(after.name() + ": degraded: " + reasons.get(0)
                    + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : ""));
        }
        if (was == Health.DEGRADED && (now == Health.HEALTHY || now == Health.PROGRESSING)) {
            return Optional.of(after.name() + ": recovered, " + now.id() + " (was degraded)");
        }
        return Optional.empty();
    }

    /** Sends what the pass is worth saying; returns at once. */
    void passed(EnvironmentStatus before, EnvironmentStatus after, Optional<ApplyResult> applied, boolean correctedDrift) {
        if (target.isEmpty()) {
            return;
        }
        message(before, after, applied, correctedDrift).ifPresent(text -> post(body(text, after), after.name()));
        healthMessage(before, after).ifPresent(text -> post(body(text, after), after.name()));
    }

    private static Map<String, Object> body(String text, EnvironmentStatus after) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("environment", after.name());
        body.put("status", after.condition().id());
        body.put("reason", after.reason());
        body.put("health", after.health().health().id());
        after.health().firstReason().ifPresent(r -> body.put("healthReason", r));
        body.put("revision", after.revision());
        return body;
    }

    /**
     * Says that the head of the branch became unreadable ({@code reason}) or readable again
     * (empty reason, {@code commit} the head read); the poll calls it on each change only.
     */
    void repository(Optional<String> reason, String commit) {
        if (target.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", reason.map(r -> "spec repository: " + r)
                .orElse("spec repository: head " + shortRevision(commit) + " read; applies resume"));
        body.put("status", reason.isPresent() ? "head-unreadable" : "head-readable");
        body.put("reason", reason.orElse("head read"));
        body.put("revision", commit);
        post(body, "repository");
    }

    private void post(Map<String, Object> body, String about) {
        try {
            byte[] json = JSON.writeValueAsBytes(body);
            unsent.incrementAndGet();
            sender.execute(() -> send(json, about, 1));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (RejectedExecutionException e) {
            unsent.decrementAndGet(); // closed: the daemon is gone past the point of telling
        }
    }

    private void send(byte[] json, String env, int attempt) {
        String problem;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(target.get())
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() < 300) {
                unsent.decrementAndGet();
                return;
            }
            problem = "HTTP " + r.statusCode();
            if (r.statusCode() < 500) {
                attempt = ATTEMPTS; // the hook refuses this message: sending it again will not help
            }
        } catch (java.io.IOException e) {
            problem = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unsent.decrementAndGet();
            return;
        }
        if (attempt < ATTEMPTS) {
            int next = attempt + 1;
            sender.schedule(() -> send(json, env, next), retryDelay.toMillis() * attempt, TimeUnit.MILLISECONDS);
        } else {
            unsent.decrementAndGet();
            LOG.atWarn().setMessage("notify-failed").addKeyValue("env", env).addKeyValue("error", problem).log();
        }
    }

    private static String counts(List<ApplyResult.Step> done) {
        Map<String, Integer> byAction = new LinkedHashMap<>();
        done.forEach(s -> byAction.merge(s.action().id(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        byAction.forEach((action, n) -> b.append(b.isEmpty() ? "" : ", ").append(n).append(' ').append(action));
        return b.toString();
    }

    private static String shortRevision(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    /**
     * Waits a few seconds for the messages already queued, retries included, so a stopping daemon
     * still says what it did; then drops the rest.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (unsent.get() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
