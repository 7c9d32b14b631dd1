package io.terrace.reconciler.daemon;

import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.history.HistoryEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of an environment's pass asked by {@link Trigger#ROTATE_ORIGIN_SECRET}: runs inside the
 * environment's job and lock, so never beside an apply of it. Held as an apply is held
 * ({@link OriginSecretSchedule#holds}); otherwise one {@code DescribeSecret}, and a rotation when the
 * secret is too old or a rotation was interrupted. Every check is counted by what it decided; a hold is
 * logged with its reason. A rotation is logged (never the value), counted and recorded in the history; a
 * failed one is retried at the next check.
 */
final class OriginSecretRotations {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final OriginSecretSchedule schedule;
    private final OriginSecretRotator rotator;
    private final RepositoryState repository;
    private final HistoryWrites history;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final String nodeId;

    OriginSecretRotations(OriginSecretSchedule schedule, OriginSecretRotator rotator, RepositoryState repository,
                          HistoryWrites history, DaemonMetrics metrics, Clock clock, String nodeId) {
        this.schedule = schedule;
        this.rotator = rotator;
        this.repository = repository;
        this.history = history;
        this.metrics = metrics;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** Checks the environment's origin secret and rotates it if due; never throws. */
    void check(String env, SpecSnapshot snapshot) {
        Instant started = clock.instant();
        Optional<String> held = schedule.holds(snapshot.specs().find(env), repository.pauseReason(env), started);
        if (held.isPresent()) {
            metrics.originSecretChecked(env, "held");
            LOG.atInfo().setMessage("origin-secret-held").addKeyValue("env", env).addKeyValue("reason", held.get()).log();
            return;
        }
        OriginSecretSchedule.Verdict verdict;
        try {
            verdict = schedule.decide(rotator.describe(env), started);
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("origin-secret-check-failed").addKeyValue("env", env)
                    .addKeyValue("error", String.valueOf(e.getMessage())).log();
            metrics.originSecretChecked(env, "failed");
            return;
        }
        if (verdict instanceof OriginSecretSchedule.Verdict.Hold) {
            LOG.atDebug().setMessage("origin-secret-checked").addKeyValue("env", env)
                    .addKeyValue("reason", verdict.reason()).log();
            metrics.originSecretChecked(env, "fresh");
            return;
        }
        String revision = snapshot.revisions().getOrDefault(env, SpecSnapshot.UNKNOWN_REVISION);
        LOG.atInfo().setMessage("origin-secret-rotating").addKeyValue("env", env).addKeyValue("reason", verdict.reason())
                .log();
        Optional<String> error = Optional.empty();
        try {
            rotator.rotate(env);
        } catch (RuntimeException e) {
            error = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        Duration took = Duration.between(started, clock.instant());
        metrics.originSecretRotated(error.isEmpty());
        metrics.originSecretChecked(env, error.isEmpty() ? "rotated" : "failed");
        history.record(HistoryEntry.rotation(env, revision, Trigger.ROTATE_ORIGIN_SECRET.id(), started, took, error,
                nodeId));
        if (error.isEmpty()) {
            LOG.atInfo().setMessage("origin-secret-rotated").addKeyValue("env", env).addKeyValue("reason", verdict.reason())
                    .addKeyValue("ms", took.toMillis()).log();
        } else {
            LOG.atWarn().setMessage("origin-secret-rotation-failed").addKeyValue("env", env)
                    .addKeyValue("error", error.get()).addKeyValue("retry", "next check").log();
        }
    }
}
