package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftReport;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.schema.SpecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one reconcile pass found and did, step by step: the value {@link ReconcilePass} returns
 * and {@link OutcomePublisher} writes to the history, the metrics, the status board and the
 * notifications. A pass that failed part-way carries what its earlier steps found.
 *
 * @param revision the revision planned at (the plan's), else the snapshot's
 * @param commit   the commit the pass read, for its retry
 * @param plan     the plan, empty when the pass stopped before planning
 * @param decision what was decided, empty when the pass stopped before deciding
 * @param error    why the pass failed outside the apply (an observe, plan or apply that threw)
 * @param askAgainAt when to run the pass again because the apply lease was held elsewhere or unreadable
 */
record PassOutcome(
        String environment,
        String trigger,
        Instant started,
        Duration took,
        String revision,
        Optional<String> commit,
        Optional<SpecResult> spec,
        ObservedState observed,
        Optional<EnvironmentPlan> plan,
        List<DriftReport.DriftedResource> drifted,
        Optional<Decision> decision,
        Optional<ApplyResult> applied,
        Optional<String> error,
        Optional<Instant> askAgainAt) {

    PassOutcome {
        drifted = List.copyOf(drifted);
    }

    /** This outcome, asking for the pass to run again at {@code at} (when present). */
    PassOutcome askingAgainAt(Optional<Instant> at) {
        return new PassOutcome(environment, trigger, started, took, revision, commit, spec, observed, plan, drifted,
                decision, applied, error, at);
    }

    /** The pass failed: an error before or during the apply, or an apply that failed. */
    boolean failed() {
        return error.isPresent() || applied.map(r -> r.outcome() == ApplyResult.Outcome.FAILED).orElse(false);
    }

    /** Live state matches the spec after this pass. */
    boolean synced() {
        return applied.map(r -> r.outcome() == ApplyResult.Outcome.APPLIED
                        || r.outcome() == ApplyResult.Outcome.NO_CHANGES)
                .orElse(decision.orElse(null) instanceof Decision.Hold h && h.condition() == Condition.SYNCED);
    }

    boolean correctsDrift() {
        return decision.orElse(null) instanceof Decision.Apply a && a.correctsDrift();
    }

    /** The plan outcome of the history and the metrics. */
    String planOutcome() {
        if (error.isPresent() && applied.isEmpty()) {
            return "failed";
        }
        if (decision.orElse(null) instanceof Decision.Hold h) {
            return h.outcome();
        }
        if (plan.map(p -> p.actions().isEmpty()).orElse(true)) {
            return "no-changes";
        }
        return correctsDrift() ? "drifted" : "changes";
    }

    /** The apply's outcome as the history and the metrics spell it. */
    static String applyOutcome(ApplyResult r) {
        return r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The changes planned (none without a plan). */
    int actions() {
        return plan.map(p -> p.actions().size()).orElse(0);
    }

    List<HistoryEntry.Action> plannedActions() {
        return plan.stream().flatMap(p -> p.actions().stream())
                .map(c -> new HistoryEntry.Action(c.address(), c.action().id(), "planned"))
                .toList();
    }

    static List<HistoryEntry.Action> appliedActions(ApplyResult r) {
        return r.steps().stream()
                .map(s -> new HistoryEntry.Action(s.address(), s.action().id(), s.status().name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /** The planned changes, then the DNS records a certificate waits for (for the operator to publish). */
    List<EnvironmentStatus.Pending> pending() {
        List<EnvironmentStatus.Pending> out = new java.util.ArrayList<>(plan.stream().flatMap(p -> p.actions().stream())
                .map(c -> new EnvironmentStatus.Pending(c.address(), c.action().id(), c.blockedReason()))
                .toList());
        plan.stream().flatMap(p -> io.terrace.planner.DnsValidation.pending(p).stream())
                .map(v -> new EnvironmentStatus.Pending(v.certificate(), EnvironmentStatus.Pending.DNS_VALIDATION,
                        Optional.of(v.record())))
                .forEach(out::add);
        return List.copyOf(out);
    }

    Optional<SpecResult.Valid> valid() {
        return spec.filter(SpecResult.Valid.class::isInstance).map(SpecResult.Valid.class::cast);
    }
}
