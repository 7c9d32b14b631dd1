package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftReport;
import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.logging.LogEncoder;
import io.terrace.schema.DriftMode;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of one environment as steps that return values: read → validate → observe →
 * plan → decide → apply, ending in an immutable {@link PassOutcome}. The pass changes nothing
 * but live state (through the executor); {@link OutcomePublisher} records what it returns.
 */
final class ReconcilePass {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");
    /** How long a pass waits before asking again for a lease that could not be read. */
    private static final Duration LEASE_RECHECK = Duration.ofSeconds(30);

    /** What the snapshot says of the environment. */
    private record Read(SpecSnapshot snapshot, String revision, Optional<SpecResult> spec) {}

    /** The decision and the drifted resources it was taken on. */
    private record Decided(Decision decision, List<DriftReport.DriftedResource> drifted,
                           Optional<Instant> askAgainAt) {}

    private final EnvironmentReconciler parts;
    private final String env;
    private final Set<Trigger> triggers;
    private final Instant started;
    private final long startNanos = System.nanoTime();
    private final String trigger;
    private final StopSignal lease;

    ReconcilePass(EnvironmentReconciler parts, String env, PassRequest request, StopSignal lease) {
        this.parts = parts;
        this.lease = lease;
        this.env = env;
        this.started = parts.clock.instant();
        this.triggers = request.triggers().isEmpty() ? Set.of(Trigger.SWEEP) : Set.copyOf(request.triggers());
        this.trigger = request.trigger();
    }

    /**
     * Sweeps and retries wait out the back-off; a new revision goes ahead. Returns until when the
     * pass must wait, if it must.
     */
    Optional<Instant> backingOff() {
        if (triggers.stream().anyMatch(Trigger::bypassesBackoff)) {
            return Optional.empty();
        }
        Optional<Instant> until = parts.backoff.waitingUntil(env);
        if (until.isEmpty()) {
            return until;
        }
        parts.statuses.update(env, EnvironmentStatus::skipped);
        LOG.atInfo().setMessage("backoff").addKeyValue("env", env).addKeyValue("trigger", trigger)
                .addKeyValue("until", until.get()).log();
        return until;
    }

    /** Runs the steps on a snapshot; never throws: a failed step ends the pass with its error. */
    PassOutcome run(SpecSnapshot snapshot) {
        Read read = read(snapshot);
        Optional<Decision.Hold> invalid = validate(read);
        if (invalid.isPresent()) {
            return outcome(read, ObservedState.EMPTY, Optional.empty(), List.of(), invalid.map(Decision.class::cast),
                    Optional.empty(), Optional.empty());
        }
        ObservedState observed = ObservedState.EMPTY;
        Optional<EnvironmentPlan> plan = Optional.empty();
        Optional<Decided> decided = Optional.empty();
        try {
            parts.statuses.progress(env, "observing", "reading live state", started);
            Optional<ObservedState> swept = swept();
            observed = swept.orElseGet(() -> observeFresh());
            parts.statuses.progress(env, "planning", "comparing live state with the spec", started);
            plan = Optional.of(plan(read, observed));
            decided = Optional.of(decide(read, observed, plan.get()));
            if (swept.isPresent() && decided.get().decision() instanceof Decision.Apply) {
                // The sweep may have answered from kept details: an apply never writes from them.
                observed = observeFresh();
                plan = Optional.of(plan(read, observed));
                decided = Optional.of(decide(read, observed, plan.get()));
            }
            Optional<ApplyResult> applied = decided.get().decision() instanceof Decision.Apply
                    ? Optional.of(apply(plan.get())) : Optional.empty();
            Optional<Instant> again = decided.get().askAgainAt();
            if (applied.map(r -> r.outcome() == ApplyResult.Outcome.APPLIED).orElse(false)
                    && parts.executor.leavesValuesForNextPass(plan.get())) {
                Optional<Settled> settled = settle(read, observed, plan.get(), applied.get());
                if (settled.isPresent()) {
                    applied = Optional.of(applied.get().then(settled.get().applied()));
                }
                if (settled.map(Settled::leavesMore).orElse(true)) {
                    // What is still left is applied by the next pass, at once rather than at the next sweep.
                    again = Optional.of(parts.clock.instant());
                }
            }
            return outcome(read, observed, plan, decided.get().drifted(), decided.map(Decided::decision), applied,
                    Optional.empty()).askingAgainAt(again);
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.atDebug().setMessage("reconcile-error").addKeyValue("env", env)
                    .addKeyValue("revision", LogEncoder.revision(plan.map(EnvironmentPlan::revision).orElse(read.revision()))).setCause(e).log();
            return outcome(read, observed, plan, decided.map(Decided::drifted).orElse(List.of()),
                    decided.map(Decided::decision), Optional.empty(), Optional.of(error));
        }
    }

    /** The second apply of a pass, and whether it still left values for the next pass. */
    private record Settled(ApplyResult applied, boolean leavesMore) {}

    /**
     * An apply that created what other resources of the environment are told about without
     * depending on it (the CDN domain the web containers are told, of a distribution whose origin
     * is web) could not give them the value. The pass plans again on the live state the apply left
     * (what it observed, with what each step returned) and applies that at once, rather than in a
     * pass of its own that would observe the whole environment again. That plan may change only
     * what waited for a value and what depends on it: anything else it would change (a step's
     * answer that reads differently from an observe) is left to the next pass, which observes
     * afresh, and so is the whole second plan.
     */
    private Optional<Settled> settle(Read read, ObservedState observed, EnvironmentPlan first, ApplyResult applied) {
        if (applied.live().isEmpty()) {
            return Optional.empty();
        }
        Set<String> changed = new java.util.HashSet<>();
        first.changes().forEach(c -> changed.add(c.address()));
        ObservedState after = observed.replacing(changed, applied.live());
        EnvironmentPlan second = plan(read, after);
        List<Change> others = beyond(second, PlanExecutor.leftForNextPass(first));
        Decided decided = decide(read, after, second);
        if (!others.isEmpty() || !(decided.decision() instanceof Decision.Apply)) {
            LOG.atInfo().setMessage("settle-deferred").addKeyValue("env", env)
                    .addKeyValue("reason", others.isEmpty() ? "not applied: " + decided.decision()
                            : "would also change " + others.get(0).address()).log();
            return Optional.empty();
        }
        ApplyResult next = apply(second);
        return Optional.of(new Settled(next, next.outcome() == ApplyResult.Outcome.APPLIED
                && parts.executor.leavesValuesForNextPass(second)));
    }

    /** The actions of {@code plan} other than on {@code waited} and on what depends on it, directly or not. */
    private static List<Change> beyond(EnvironmentPlan plan, Set<String> waited) {
        Set<String> allowed = new java.util.HashSet<>(waited);
        List<Change> others = new java.util.ArrayList<>(plan.actions());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (java.util.Iterator<Change> it = others.iterator(); it.hasNext(); ) {
                Change c = it.next();
                boolean dependent = c.desired().map(r -> r.dependsOn().stream().anyMatch(allowed::contains)).orElse(false);
                if (allowed.contains(c.address()) || dependent) {
                    allowed.add(c.address());
                    it.remove();
                    grew = true;
                }
            }
        }
        return others;
    }

    private Read read(SpecSnapshot s) {
        return new Read(s, s.revisions().getOrDefault(env, SpecSnapshot.UNKNOWN_REVISION), s.specs().find(env));
    }

    /** An invalid spec is held with its diagnostics: nothing is observed or applied. */
    private Optional<Decision.Hold> validate(Read read) {
        if (read.spec().orElse(null) instanceof SpecResult.Invalid invalid) {
            return Optional.of(new Decision.Hold(Condition.INVALID,
                    invalid.diagnostics().size() + " validation error(s) in " + invalid.file(), "invalid"));
        }
        return Optional.empty();
    }

    /**
     * A pass the drift sweep started, or one of a poll that read several environments in one batch
     * (every detail afresh), uses that batched observation (unless an apply came in between; each
     * is used once); any other pass observes the environment itself, every detail read afresh, so
     * it never plans from old state; a batched pass that would apply observes afresh too. The
     * observation keeps the region the environment was read in: the plan takes it from there.
     */
    private Optional<ObservedState> swept() {
        return parts.observations.take(env)
                .filter(o -> triggers.contains(Trigger.SWEEP) || triggers.contains(Trigger.CHANGE))
                .map(o -> o.only(Set.of(env)));
    }

    /** Every detail read from AWS, none kept from an earlier observe ({@link Observer#observeFresh}). */
    private ObservedState observeFresh() {
        return parts.observer.observeFresh(List.of(env)).only(Set.of(env));
    }

    private EnvironmentPlan plan(Read read, ObservedState observed) {
        SpecSet mine = new SpecSet(read.spec().stream().toList(), read.snapshot().specs().pauseReason());
        Optional<Instant> windowsAt = triggers.contains(Trigger.NOW) ? Optional.empty() : Optional.of(parts.clock.instant());
        return parts.planner.plan(mine, read.snapshot().revisions(), observed, windowsAt).environments().stream()
                .filter(p -> p.name().equals(env))
                .findFirst()
                .orElseGet(() -> new EnvironmentPlan(env, Optional.empty(), Optional.empty(), read.revision(),
                        Optional.empty(), List.of(), List.of(), List.of()));
    }

    private Decided decide(Read read, ObservedState observed, EnvironmentPlan plan) {
        Optional<String> pause = plan.pausedReason().or(() -> parts.repository.pauseReason(env));
        List<DriftReport.DriftedResource> drifted = plan.hasChanges() ? drift(read, plan, observed) : List.of();
        int n = plan.actions().size();
        Decision decision;
        if (plan.invalid()) {
            decision = new Decision.Hold(Condition.INVALID, plan.diagnostics().size() + " validation error(s)", "invalid");
        } else if (pause.isPresent()) {
            decision = new Decision.Hold(Condition.PAUSED, "paused: " + pause.get()
                    + (n == 0 ? "" : "; " + n + " change(s) planned, not applied"), "paused");
        } else if (n == 0 && !unstamped(plan)) {
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
        } else if (n == plan.deferred().size()) {
            // Only changes that wait for the maintenance window: asked again when it opens.
            return new Decided(new Decision.Hold(Condition.OUT_OF_SYNC, n + " change(s) wait for the maintenance window"
                    + plan.windowOpens().map(t -> " (next: " + t + ")").orElse(""), "waiting"), drifted,
                    plan.windowOpens());
        } else if (!drifted.isEmpty() && driftMode(read) == DriftMode.REPORT
                && triggers.stream().noneMatch(Trigger::manual)) {
            decision = new Decision.Hold(Condition.DRIFTED, "drift: report; " + drifted.size()
                    + " resource(s) drifted, not corrected", "drifted");
        } else {
            decision = new Decision.Apply(!drifted.isEmpty());
        }
        return leased(new Decided(decision, drifted, Optional.empty()), plan);
    }

    /**
     * An apply needs the lease of the environment's account and region: while another daemon
     * holds it, or it cannot be read, the plan is only reported and the pass is asked again later.
     */
    private Decided leased(Decided wanted, EnvironmentPlan plan) {
        if (!(wanted.decision() instanceof Decision.Apply)) {
            return wanted;
        }
        String planned = "; " + plan.actions().size() + " change(s) planned, not applied";
        ApplyLease.Standing standing = parts.applyLease.standing(plan);
        if (standing instanceof ApplyLease.Standing.Locked locked) {
            return new Decided(new Decision.Hold(Condition.OUT_OF_SYNC, locked.reason() + planned, "locked"),
                    wanted.drifted(), Optional.of(locked.expiresAt().plusSeconds(1)));
        }
        if (standing instanceof ApplyLease.Standing.Unreadable unreadable) {
            return new Decided(new Decision.Hold(Condition.OUT_OF_SYNC, unreadable.reason() + planned, "locked"),
                    wanted.drifted(), Optional.of(parts.clock.instant().plus(LEASE_RECHECK)));
        }
        return wanted;
    }

    /** The revision marker exists but does not carry this revision: drift detection needs it. */
    private static boolean unstamped(EnvironmentPlan plan) {
        return plan.changes().stream()
                .filter(c -> c.type() == PlanExecutor.REVISION_MARKER && c.action() == Action.NO_OP)
                .flatMap(c -> c.observed().stream())
                .anyMatch(o -> !plan.revision().equals(o.tags().get(ObservedResource.REVISION)));
    }

    /**
     * The drifted resources: none unless live state was applied at this very revision (the
     * detector reads the revision stamp); otherwise the plan's changes are simply pending.
     */
    private List<DriftReport.DriftedResource> drift(Read read, EnvironmentPlan plan, ObservedState observed) {
        if (!(read.spec().orElse(null) instanceof SpecResult.Valid valid)) {
            return List.of();
        }
        DriftReport report = parts.detector.detect(valid.spec(), plan.revision(),
                read.snapshot().specs().pauseReason(), observed);
        return report.drifted() ? report.resources() : List.of();
    }

    private ApplyResult apply(EnvironmentPlan plan) {
        try {
            StopSignal stop = parts.stopSignal(plan, lease);
            java.util.concurrent.atomic.AtomicInteger wave = new java.util.concurrent.atomic.AtomicInteger();
            int changes = plan.actions().size();
            parts.statuses.progress(env, "applying", changes + " change(s)", started);
            // The executor asks before every wave: each question starts the next one.
            return parts.executor.apply(plan, () -> {
                Optional<String> reason = stop.stopReason();
                if (reason.isEmpty()) {
                    parts.statuses.progress(env, "applying", "wave " + wave.incrementAndGet() + ", "
                            + changes + " change(s) in all", started);
                }
                return reason;
            });
        } finally {
            parts.observations.applied(env);
            parts.observer.forgetDetails(env);
        }
    }

    private static DriftMode driftMode(Read read) {
        return read.spec().filter(SpecResult.Valid.class::isInstance)
                .map(r -> ((SpecResult.Valid) r).spec().drift())
                .orElse(DriftMode.CORRECT);
    }

    private PassOutcome outcome(Read read, ObservedState observed, Optional<EnvironmentPlan> plan,
                                List<DriftReport.DriftedResource> drifted, Optional<Decision> decision,
                                Optional<ApplyResult> applied, Optional<String> error) {
        return new PassOutcome(env, trigger, started, Duration.ofNanos(System.nanoTime() - startNanos),
                plan.map(EnvironmentPlan::revision).orElse(read.revision()), Optional.ofNullable(read.snapshot().commit()),
                read.spec(), observed, plan, drifted, decision, applied, error, Optional.empty());
    }
}
