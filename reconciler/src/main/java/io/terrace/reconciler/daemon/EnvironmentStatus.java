package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftReport;
import io.terrace.drift.EnvironmentHealth;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import io.terrace.schema.Diagnostic;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon knows about one environment after its last pass: a condition with a reason,
 * the revisions involved, what is pending or drifted, and when it is tried again.
 *
 * @param revision            the spec's current revision (commit that last changed its file)
 * @param lastAppliedRevision the newest revision live state was confirmed at (applied, or found
 *                            with nothing to change)
 * @param lastAttemptedRevision the revision of the newest apply attempt, successful or not
 * @param pending             changes planned and not applied (paused, blocked, drift reported)
 * @param passes              reconcile passes since start, skipped ones included
 * @param health              how the environment is doing by what the pass observed, next to its
 *                            condition (which says only whether it matches its spec)
 */
public record EnvironmentStatus(
        String name,
        Condition condition,
        String reason,
        String revision,
        Optional<String> pausedReason,
        Optional<String> tier,
        Optional<String> stage,
        Optional<String> driftMode,
        List<Diagnostic> diagnostics,
        List<Pending> pending,
        List<DriftReport.DriftedResource> drifted,
        Optional<String> lastAppliedRevision,
        Optional<String> lastAttemptedRevision,
        Optional<Instant> lastReconciledAt,
        Optional<Instant> nextAttemptAt,
        int failures,
        long passes,
        EnvironmentHealth health) {

    public EnvironmentStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        diagnostics = List.copyOf(diagnostics);
        pending = List.copyOf(pending);
        drifted = List.copyOf(drifted);
        Objects.requireNonNull(health, "health");
    }

    /** A planned change not (yet) applied. */
    /**
     * A planned change; or, with the action {@link #DNS_VALIDATION}, a DNS record (in
     * {@code blockedReason}, as {@code name type value}) a certificate at {@code address} waits for.
     */
    public record Pending(String address, String action, Optional<String> blockedReason) {
        public static final String DNS_VALIDATION = "dns-validation";

        public boolean isDnsValidation() {
            return DNS_VALIDATION.equals(action);
        }
    }

    /** An environment seen for the first time: nothing known yet. */
    public static EnvironmentStatus pending(String name, Optional<String> lastApplied) {
        return new EnvironmentStatus(name, Condition.PENDING, "not reconciled yet", "unknown", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(),
                lastApplied, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0,
                EnvironmentHealth.unknown("not observed yet"));
    }

    /**
     * The same status after an apply another node of the cluster ran ({@code entry}, from the
     * shared history): its revisions and time; the condition stays this node's last pass's.
     */
    public EnvironmentStatus appliedElsewhere(HistoryEntry entry) {
        Optional<String> applied = HistoryStore.confirmsLiveState(entry.outcome())
                ? Optional.of(entry.revision()) : lastAppliedRevision;
        return new EnvironmentStatus(name, condition, reason, revision, pausedReason, tier, stage, driftMode,
                diagnostics, pending, drifted, applied, Optional.of(entry.revision()),
                Optional.of(entry.startedAt().plus(entry.duration())), nextAttemptAt, failures, passes, health);
    }

    /** The same status with one more pass counted (a pass that only backed off). */
    public EnvironmentStatus skipped() {
        return new EnvironmentStatus(name, condition, reason, revision, pausedReason, tier, stage, driftMode,
                diagnostics, pending, drifted, lastAppliedRevision, lastAttemptedRevision, lastReconciledAt,
                nextAttemptAt, failures, passes + 1, health);
    }
}
