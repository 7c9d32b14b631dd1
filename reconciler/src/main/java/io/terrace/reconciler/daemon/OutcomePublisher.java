package io.terrace.reconciler.daemon;

import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Refusal;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.logging.LogEncoder;
import io.terrace.schema.SpecResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The record step of a pass: writes a {@link PassOutcome} to the history, the metrics, the
 * back-off (with its retry), the status board, the notifications and the log, each in a part of
 * its own. A history that cannot be written skips only the history ({@link HistoryWrites}).
 */
final class OutcomePublisher {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final EnvironmentReconciler parts;

    OutcomePublisher(EnvironmentReconciler parts) {
        this.parts = parts;
    }

    void publish(PassOutcome o) {
        history(o);
        metrics(o);
        Optional<Instant> retryAt = backoff(o);
        driftGauges(o);
        EnvironmentStatus before = parts.statuses.get(o.environment());
        EnvironmentStatus status = status(o, before, retryAt);
        if (status.condition() == Condition.SYNCED && o.spec().isEmpty() && o.observed().resources().isEmpty()) {
            parts.statuses.remove(o.environment());
        } else {
            parts.statuses.planned(o.environment(), new LastPlan(o.plan(),
                    o.valid().map(v -> v.spec().client()), o.plan().flatMap(p -> p.region())
                            .or(() -> o.valid().map(v -> v.spec().region())),
                    o.spec().map(r -> r instanceof SpecResult.Valid v ? v.file() : ((SpecResult.Invalid) r).file()),
                    o.applied().map(r -> r.steps().stream().collect(java.util.stream.Collectors.toMap(
                            ApplyResult.Step::address, st -> st.status().name().toLowerCase(Locale.ROOT), (a, b) -> b)))
                            .orElse(Map.of())));
            parts.statuses.update(o.environment(), old -> status);
        }
        parts.metrics.health(o.environment(), status.health().health());
        parts.notifications.passed(before, status, o.applied(), o.correctsDrift());
        log(o, status, retryAt);
    }

    private void history(PassOutcome o) {
        parts.history.record(new HistoryEntry(0, HistoryEntry.Kind.PLAN, o.environment(), o.revision(), o.trigger(),
                o.started(), o.took(), o.planOutcome(), o.plannedActions(), o.error().filter(e -> o.applied().isEmpty()),
                parts.nodeId));
        o.applied().ifPresent(r -> parts.history.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, o.environment(),
                o.revision(), o.trigger(), o.started(), r.duration(), PassOutcome.applyOutcome(r),
                PassOutcome.appliedActions(r), r.error(), parts.nodeId)));
    }

    private void metrics(PassOutcome o) {
        parts.metrics.reconciled(o.environment(), o.planOutcome());
        o.applied().ifPresent(r -> parts.metrics.applied(o.environment(), PassOutcome.applyOutcome(r)));
    }

    /** A failure lengthens the back-off and schedules the retry; a success resets it. */
    private Optional<Instant> backoff(PassOutcome o) {
        if (!o.failed()) {
            parts.backoff.succeeded(o.environment());
            return Optional.empty();
        }
        parts.metrics.failed(o.environment());
        Instant at = parts.backoff.failed(o.environment());
        parts.retries.retryAt(o.environment(), at, PassRequest.of(Trigger.RETRY, o.commit()));
        return Optional.of(at);
    }

    /**
     * Drift gauges follow what is still drifted: set when drift is only reported, cleared once
     * live state matches again.
     */
    private void driftGauges(PassOutcome o) {
        if (o.synced()) {
            parts.metrics.drifted(o.environment(), Map.of());
        } else if (!o.drifted().isEmpty()) {
            parts.metrics.drifted(o.environment(), EnvironmentReconciler.byComponent(o.drifted()));
        }
    }

    private EnvironmentStatus status(PassOutcome o, EnvironmentStatus old, Optional<Instant> retryAt) {
        String env = o.environment();
        Condition condition;
        String reason;
        Optional<String> lastApplied = old.lastAppliedRevision();
        Optional<String> lastAttempted = o.applied().isPresent() ? Optional.of(o.revision()) : old.lastAttemptedRevision();
        List<EnvironmentStatus.Pending> pending = o.pending();
        if (o.error().isPresent() && o.applied().isEmpty()) {
            condition = Condition.FAILED;
            reason = o.error().get();
        } else if (o.applied().isPresent()) {
            Verdict v = Verdict.of(o.applied().get(), parts.repository.pauseReason(env), !o.drifted().isEmpty());
            condition = v.condition();
            reason = v.reason();
            if (condition == Condition.SYNCED) {
                lastApplied = Optional.of(o.revision());
                pending = pending.stream().filter(EnvironmentStatus.Pending::isDnsValidation).toList();
            }
        } else {
            Decision.Hold h = (Decision.Hold) o.decision().orElseThrow();
            condition = h.condition();
            reason = h.reason();
            if (condition == Condition.SYNCED) {
                lastApplied = Optional.of(o.revision());
            }
        }
        Optional<SpecResult.Valid> valid = o.valid();
        return new EnvironmentStatus(env, condition, reason, o.revision(),
                o.plan().flatMap(p -> p.pausedReason()).or(() -> parts.repository.pauseReason(env)),
                valid.map(v -> v.spec().tier().id()).or(() -> o.plan().flatMap(p -> p.tier()).map(t -> t.id())),
                valid.map(v -> v.spec().stage().id()),
                valid.map(v -> v.spec().drift().id()),
                o.spec().orElse(null) instanceof SpecResult.Invalid i ? i.diagnostics()
                        : o.plan().map(p -> p.diagnostics()).orElse(List.of()),
                pending,
                condition == Condition.SYNCED ? List.of() : o.drifted(),
                lastApplied, lastAttempted, Optional.of(o.started()),
                retryAt,
                o.failed() ? parts.backoff.failures(env) : 0,
                old.passes() + 1,
                PassHealth.of(o, parts.clock.instant()));
    }

    private void log(PassOutcome o, EnvironmentStatus status, Optional<Instant> retryAt) {
        LoggingEventBuilder line = (o.failed() ? LOG.atWarn() : LOG.atInfo()).setMessage("reconcile")
                .addKeyValue("env", o.environment()).addKeyValue("revision", LogEncoder.revision(o.revision()))
                .addKeyValue("trigger", o.trigger())
                .addKeyValue("outcome", o.applied().map(r -> r.outcome().name().toLowerCase(Locale.ROOT))
                        .orElse(o.planOutcome()))
                .addKeyValue("status", status.condition().id())
                .addKeyValue("health", status.health().health().id())
                .addKeyValue("actions", o.actions())
                .addKeyValue("duration_ms", o.took().toMillis());
        // A plan refused before any call (a blocked change) names its first blocked change.
        o.error().or(() -> o.applied().flatMap(ApplyResult::error))
                .or(() -> o.plan().flatMap(Refusal::of).map(Refusal::reason))
                .ifPresent(e -> line.addKeyValue("error", e));
        status.diagnostics().stream().findFirst().ifPresent(d -> line.addKeyValue("diagnostic", d.toString()));
        retryAt.ifPresent(t -> line.addKeyValue("retry_at", t));
        line.log();
    }
}
