package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftReport;
import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.schema.DriftMode;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of one environment, step by step; the fields are what the steps found so
 * far. {@link EnvironmentReconciler} runs the steps in order.
 */
final class ReconcilePass {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");
    /** How long a pass waits before asking again for a lease that could not be read. */
    private static final Duration LEASE_RECHECK = Duration.ofSeconds(30);

    private final EnvironmentReconciler parts;
    private final String env;
    private final Set<Trigger> triggers;
    private final Instant started;
    private final long startNanos = System.nanoTime();
    private final String trigger;
    private final StopSignal lease;

    private SpecSnapshot snapshot;
    private String revision = SpecSnapshot.UNKNOWN_REVISION;
    private Optional<SpecResult> spec = Optional.empty();
    private ObservedState observed = ObservedState.EMPTY;
    private EnvironmentPlan plan;
    private List<DriftReport.DriftedResource> drifted = List.of();
    private Decision decision;
    private Optional<ApplyResult> applied = Optional.empty();
    private Optional<String> error = Optional.empty();
    private Optional<Instant> retryAt = Optional.empty();
    private Optional<Instant> lockedUntil = Optional.empty();

    ReconcilePass(EnvironmentReconciler parts, String env, Set<Trigger> triggers, StopSignal lease) {
        this.parts = parts;
        this.lease = lease;
        this.env = env;
        this.started = parts.clock.instant();
        this.triggers = triggers.isEmpty() ? Set.of(Trigger.SWEEP) : Set.copyOf(triggers);
        this.trigger = this.triggers.stream().sorted().map(Trigger::id).collect(Collectors.joining(","));
    }

    /** Sweeps and parts.retries wait out the back-off; a new revision goes ahead. */
    boolean backingOff() {
        if (triggers.stream().anyMatch(Trigger::bypassesBackoff)) {
            return false;
        }
        Optional<Instant> until = parts.backoff.waitingUntil(env);
        if (until.isEmpty()) {
            return false;
        }
        parts.statuses.update(env, EnvironmentStatus::skipped);
        LOG.info(LogLine.event("backoff").with("env", env).with("trigger", trigger)
                .with("until", until.get()).toString());
        return true;
    }

    void snapshot(SpecSnapshot s) {
        snapshot = s;
        revision = s.revisions().getOrDefault(env, SpecSnapshot.UNKNOWN_REVISION);
        spec = s.specs().find(env);
    }

    /** An invalid spec is held with its diagnostics: nothing is observed or applied. */
    boolean validate() {
        if (spec.orElse(null) instanceof SpecResult.Invalid invalid) {
            decision = new Decision.Hold(Condition.INVALID,
                    invalid.diagnostics().size() + " validation error(s) in " + invalid.file(), "invalid");
            return false;
        }
        return true;
    }

    /**
     * A pass the drift sweep started uses the sweep's batched observation (unless an apply came in
     * between); any other pass observes the environment itself, so it never plans from old state.
     */
    void observe() {
        Optional<ObservedState> swept = parts.observations.take(env).filter(o -> triggers.contains(Trigger.SWEEP));
        observed = ObservedState.of(swept.orElseGet(() -> parts.observer.observe(List.of(env))).environment(env));
    }

    void plan() {
        SpecSet mine = new SpecSet(spec.stream().toList(), snapshot.specs().pauseReason());
        plan = parts.planner.plan(mine, snapshot.revisions(), observed).environments().stream()
                .filter(p -> p.name().equals(env))
                .findFirst()
                .orElseGet(() -> new EnvironmentPlan(env, Optional.empty(), Optional.empty(), revision,
                        Optional.empty(), List.of(), List.of(), List.of()));
        revision = plan.revision();
    }

    Decision decide() {
        Optional<String> pause = plan.pausedReason().or(() -> parts.repository.pauseReason(env));
        drifted = plan.hasChanges() ? drift() : List.of();
        int n = plan.actions().size();
        if (plan.invalid()) {
            decision = new Decision.Hold(Condition.INVALID, plan.diagnostics().size() + " validation error(s)", "invalid");
        } else if (pause.isPresent()) {
            decision = new Decision.Hold(Condition.PAUSED, "paused: " + pause.get()
                    + (n == 0 ? "" : "; " + n + " change(s) planned, not applied"), "paused");
        } else if (n == 0 && !unstamped()) {
            decision = new Decision.Hold(Condition.SYNCED, "live state matches the spec", "no-changes");
        } else if (n == 0) {
            // Live state matches, but no apply recorded this revision on it (one was cut after its
            // last wave, by a killed node): an apply of nothing lets the executor stamp it.
            decision = new Decision.Apply(false);
        } else if (!plan.blocked().isEmpty()) {
            Change first = plan.blocked().get(0);
            decision = new Decision.Hold(Condition.OUT_OF_SYNC, "blocked: " + first.address() + ": "
                    + first.blockedReason().orElse("") + (plan.blocked().size() > 1
                    ? " (and " + (plan.blocked().size() - 1) + " more)" : ""), "blocked");
        } else if (!drifted.isEmpty() && driftMode() == DriftMode.REPORT && !triggers.contains(Trigger.MANUAL)) {
            decision = new Decision.Hold(Condition.DRIFTED, "drift: report; " + drifted.size()
                    + " resource(s) drifted, not corrected", "drifted");
        } else {
            decision = new Decision.Apply(!drifted.isEmpty());
        }
        decision = leased(decision);
        return decision;
    }

    /**
     * An apply needs the lease of the environment's account and region: while another daemon
     * holds it, or it cannot be read, the plan is only reported and the pass is asked again later.
     */
    private Decision leased(Decision wanted) {
        if (!(wanted instanceof Decision.Apply)) {
            return wanted;
        }
        String planned = "; " + plan.actions().size() + " change(s) planned, not applied";
        ApplyLease.Standing standing = parts.applyLease.standing(env);
        if (standing instanceof ApplyLease.Standing.Locked locked) {
            lockedUntil = Optional.of(locked.expiresAt().plusSeconds(1));
            return new Decision.Hold(Condition.OUT_OF_SYNC, locked.reason() + planned, "locked");
        }
        if (standing instanceof ApplyLease.Standing.Unreadable unreadable) {
            lockedUntil = Optional.of(parts.clock.instant().plus(LEASE_RECHECK));
            return new Decision.Hold(Condition.OUT_OF_SYNC, unreadable.reason() + planned, "locked");
        }
        return wanted;
    }

    /** When to ask again for the apply lease another daemon holds (or that could not be read). */
    Optional<Instant> lockedUntil() {
        return lockedUntil;
    }

    /** The revision marker exists but does not carry this revision: drift detection needs it. */
    private boolean unstamped() {
        return plan.changes().stream()
                .filter(c -> c.type() == PlanExecutor.REVISION_MARKER && c.action() == Action.NO_OP)
                .flatMap(c -> c.observed().stream())
                .anyMatch(o -> !revision.equals(o.tags().get(ObservedResource.REVISION)));
    }

    /**
     * The drifted resources: none unless live state was applied at this very revision (the
     * parts.detector reads the revision stamp); otherwise the plan's changes are simply pending.
     */
    private List<DriftReport.DriftedResource> drift() {
        if (!(spec.orElse(null) instanceof SpecResult.Valid valid)) {
            return List.of();
        }
        DriftReport report = parts.detector.detect(valid.spec(), revision, snapshot.specs().pauseReason(), observed);
        return report.drifted() ? report.resources() : List.of();
    }

    void apply() {
        try {
            applied = Optional.of(parts.executor.apply(plan, parts.stopSignal(env, lease)));
        } finally {
            parts.observations.applied(env);
        }
    }

    /** True when the apply stopped between two waves (shutdown, pause, lost lease). */
    boolean stopped() {
        return applied.map(r -> r.outcome() == ApplyResult.Outcome.STOPPED).orElse(false);
    }

    /** The reconcile line says what failed; the stack trace is for debugging only. */
    void failed(RuntimeException e) {
        error = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
        LOG.debug(LogLine.event("reconcile-error").with("env", env).revision(revision).toString(), e);
    }

    void record() {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        String planOutcome = planOutcome();
        parts.history.record(new HistoryEntry(0, HistoryEntry.Kind.PLAN, env, revision, trigger, started, took,
                planOutcome, plannedActions(), error.filter(e -> applied.isEmpty()), parts.nodeId));
        parts.metrics.reconciled(env, planOutcome);
        applied.ifPresent(r -> {
            String outcome = r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            parts.history.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, env, revision, trigger, started,
                    r.duration(), outcome, appliedActions(r), r.error(), parts.nodeId));
            parts.metrics.applied(env, outcome);
        });
        boolean failure = error.isPresent() || applied.map(r -> r.outcome() == ApplyResult.Outcome.FAILED).orElse(false);
        if (failure) {
            parts.metrics.failed(env);
            retryAt = Optional.of(parts.backoff.failed(env));
            parts.retries.retryAt(env, retryAt.get(),
                    PassRequest.of(Trigger.RETRY, Optional.ofNullable(snapshot).map(SpecSnapshot::commit)));
        } else {
            parts.backoff.succeeded(env);
        }
        // Drift gauges follow what is still drifted: set when drift is only reported, cleared
        // once live state matches again.
        if (synced()) {
            parts.metrics.drifted(env, Map.of());
        } else if (!drifted.isEmpty()) {
            parts.metrics.drifted(env, EnvironmentReconciler.byComponent(drifted));
        }
        EnvironmentStatus before = parts.statuses.get(env);
        EnvironmentStatus status = status(failure);
        if (status.condition() == Condition.SYNCED && spec.isEmpty() && observed.resources().isEmpty()) {
            parts.statuses.remove(env);
        } else {
            parts.statuses.update(env, old -> status);
        }
        parts.notifications.passed(before, status, applied,
                decision instanceof Decision.Apply a && a.correctsDrift());
        LogLine line = LogLine.event("reconcile").with("env", env).revision(revision).with("trigger", trigger)
                .with("outcome", applied.map(r -> r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                        .orElse(planOutcome))
                .with("status", status.condition().id())
                .with("actions", plan == null ? 0 : plan.actions().size())
                .with("duration_ms", took.toMillis());
        error.or(() -> applied.flatMap(ApplyResult::error)).ifPresent(e -> line.with("error", e));
        status.diagnostics().stream().findFirst().ifPresent(d -> line.with("diagnostic", d.toString()));
        retryAt.ifPresent(t -> line.with("retry_at", t));
        if (failure) {
            LOG.warn(line.toString());
        } else {
            LOG.info(line.toString());
        }
    }

    private boolean synced() {
        return applied.map(r -> r.outcome() == ApplyResult.Outcome.APPLIED
                        || r.outcome() == ApplyResult.Outcome.NO_CHANGES)
                .orElse(decision instanceof Decision.Hold h && h.condition() == Condition.SYNCED);
    }

    private String planOutcome() {
        if (error.isPresent() && applied.isEmpty()) {
            return "failed";
        }
        if (decision instanceof Decision.Hold h) {
            return h.outcome();
        }
        if (plan.actions().isEmpty()) {
            return "no-changes";
        }
        return decision instanceof Decision.Apply a && a.correctsDrift() ? "drifted" : "changes";
    }

    private EnvironmentStatus status(boolean failure) {
        EnvironmentStatus old = parts.statuses.get(env);
        Condition condition;
        String reason;
        Optional<String> lastApplied = old.lastAppliedRevision();
        Optional<String> lastAttempted = applied.isPresent() ? Optional.of(revision) : old.lastAttemptedRevision();
        List<EnvironmentStatus.Pending> pending = pending();
        if (error.isPresent() && applied.isEmpty()) {
            condition = Condition.FAILED;
            reason = error.get();
        } else if (applied.isPresent()) {
            Verdict v = Verdict.of(applied.get(), parts.repository.pauseReason(env), !drifted.isEmpty());
            condition = v.condition();
            reason = v.reason();
            if (condition == Condition.SYNCED) {
                lastApplied = Optional.of(revision);
                pending = List.of();
            }
        } else {
            Decision.Hold h = (Decision.Hold) decision;
            condition = h.condition();
            reason = h.reason();
            if (condition == Condition.SYNCED) {
                lastApplied = Optional.of(revision);
            }
        }
        Optional<SpecResult.Valid> valid = spec.filter(SpecResult.Valid.class::isInstance).map(SpecResult.Valid.class::cast);
        return new EnvironmentStatus(env, condition, reason, revision,
                plan == null ? parts.repository.pauseReason(env) : plan.pausedReason().or(() -> parts.repository.pauseReason(env)),
                valid.map(v -> v.spec().tier().id()).or(() -> plan == null ? Optional.empty() : plan.tier().map(t -> t.id())),
                valid.map(v -> v.spec().stage().id()),
                valid.map(v -> v.spec().drift().id()),
                spec.orElse(null) instanceof SpecResult.Invalid i ? i.diagnostics()
                        : plan == null ? List.of() : plan.diagnostics(),
                pending,
                condition == Condition.SYNCED ? List.of() : drifted,
                lastApplied, lastAttempted, Optional.of(started),
                failure ? retryAt : Optional.empty(),
                failure ? parts.backoff.failures(env) : 0,
                old.passes() + 1);
    }

    private List<EnvironmentStatus.Pending> pending() {
        if (plan == null) {
            return List.of();
        }
        return plan.actions().stream()
                .map(c -> new EnvironmentStatus.Pending(c.address(), c.action().id(), c.blockedReason()))
                .toList();
    }

    private DriftMode driftMode() {
        return spec.filter(SpecResult.Valid.class::isInstance)
                .map(r -> ((SpecResult.Valid) r).spec().drift())
                .orElse(DriftMode.CORRECT);
    }

    private List<HistoryEntry.Action> plannedActions() {
        if (plan == null) {
            return List.of();
        }
        return plan.actions().stream()
                .map(c -> new HistoryEntry.Action(c.address(), c.action().id(), "planned"))
                .toList();
    }

    private List<HistoryEntry.Action> appliedActions(ApplyResult r) {
        List<HistoryEntry.Action> out = new ArrayList<>();
        for (ApplyResult.Step s : r.steps()) {
            out.add(new HistoryEntry.Action(s.address(), s.action().id(),
                    s.status().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }
}
