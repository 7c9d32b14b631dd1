package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftDetector;
import io.terrace.drift.DriftReport;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import io.terrace.schema.DriftMode;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of one environment, as named steps: snapshot → validate → observe → plan →
 * decide → apply → record. Terminal problems (an invalid spec, a blocked plan, a pause) hold the
 * plan with a condition; transient ones (an AWS outage, a failed step) fail the pass and back the
 * environment off. Each pass is recorded in the history, the status board and the metrics.
 */
public final class EnvironmentReconciler {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    /** Schedules a pass of an environment at a later time (after a failure). */
    @FunctionalInterface
    public interface RetryScheduler {
        void retryAt(String environment, Instant at);
    }

    private final RepositoryState repository;
    private final Observer observer;
    private final PlanFunction planner;
    private final Executor executor;
    private final DriftDetector detector;
    private final HistoryStore history;
    private final StatusBoard statuses;
    private final Backoff backoff;
    private final ObservationCache observations;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final String nodeId;
    private final Supplier<Optional<String>> shutdown;
    private final RetryScheduler retries;

    EnvironmentReconciler(RepositoryState repository, Observer observer, PlanFunction planner, Executor executor,
                          DriftDetector detector, HistoryStore history, StatusBoard statuses, Backoff backoff,
                          ObservationCache observations, DaemonMetrics metrics, Clock clock, String nodeId,
                          Supplier<Optional<String>> shutdown, RetryScheduler retries) {
        this.repository = repository;
        this.observer = observer;
        this.planner = planner;
        this.executor = executor;
        this.detector = detector;
        this.history = history;
        this.statuses = statuses;
        this.backoff = backoff;
        this.observations = observations;
        this.metrics = metrics;
        this.clock = clock;
        this.nodeId = nodeId;
        this.shutdown = shutdown;
        this.retries = retries;
    }

    /** Runs one pass; never throws (failures end up in the status and the history). */
    public void reconcile(String environment, Set<Trigger> triggers) {
        Pass pass = new Pass(environment, triggers);
        Optional<SpecSnapshot> snapshot = repository.snapshot();
        if (snapshot.isEmpty()) {
            return;
        }
        if (pass.backingOff()) {
            return;
        }
        try {
            pass.snapshot(snapshot.get());
            if (pass.validate()) {
                pass.observe();
                pass.plan();
                if (pass.decide() instanceof Decision.Apply) {
                    pass.apply();
                }
            }
        } catch (RuntimeException e) {
            pass.failed(e);
        }
        pass.record();
    }

    /** The stop signal handed to the executor: shutdown first, then a pause seen by the poll job. */
    StopSignal stopSignal(String environment) {
        return () -> shutdown.get().or(() -> repository.pauseReason(environment).map(r -> "paused: " + r));
    }

    /** The state of one pass as it goes through the steps. */
    private final class Pass {
        private final String env;
        private final Set<Trigger> triggers;
        private final Instant started = clock.instant();
        private final long startNanos = System.nanoTime();
        private final String trigger;

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

        Pass(String env, Set<Trigger> triggers) {
            this.env = env;
            this.triggers = triggers.isEmpty() ? Set.of(Trigger.SWEEP) : Set.copyOf(triggers);
            this.trigger = this.triggers.stream().sorted().map(Trigger::id).collect(Collectors.joining(","));
        }

        /** Sweeps and retries wait out the back-off; a new revision goes ahead. */
        boolean backingOff() {
            if (triggers.stream().anyMatch(Trigger::bypassesBackoff)) {
                return false;
            }
            Optional<Instant> until = backoff.waitingUntil(env);
            if (until.isEmpty()) {
                return false;
            }
            statuses.update(env, EnvironmentStatus::skipped);
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

        void observe() {
            observed = observations.take(env)
                    .orElseGet(() -> observer.observe(List.of(env)));
            observed = ObservedState.of(observed.environment(env));
        }

        void plan() {
            SpecSet mine = new SpecSet(spec.stream().toList(), snapshot.specs().pauseReason());
            plan = planner.plan(mine, snapshot.revisions(), observed).environments().stream()
                    .filter(p -> p.name().equals(env))
                    .findFirst()
                    .orElseGet(() -> new EnvironmentPlan(env, Optional.empty(), Optional.empty(), revision,
                            Optional.empty(), List.of(), List.of(), List.of()));
            revision = plan.revision();
        }

        Decision decide() {
            Optional<String> pause = plan.pausedReason().or(() -> repository.pauseReason(env));
            drifted = plan.hasChanges() ? drift() : List.of();
            int n = plan.actions().size();
            if (plan.invalid()) {
                decision = new Decision.Hold(Condition.INVALID, plan.diagnostics().size() + " validation error(s)", "invalid");
            } else if (pause.isPresent()) {
                decision = new Decision.Hold(Condition.PAUSED, "paused: " + pause.get()
                        + (n == 0 ? "" : "; " + n + " change(s) planned, not applied"), "paused");
            } else if (n == 0) {
                decision = new Decision.Hold(Condition.SYNCED, "live state matches the spec", "no-changes");
            } else if (!plan.blocked().isEmpty()) {
                Change first = plan.blocked().get(0);
                decision = new Decision.Hold(Condition.OUT_OF_SYNC, "blocked: " + first.address() + ": "
                        + first.blockedReason().orElse("") + (plan.blocked().size() > 1
                        ? " (and " + (plan.blocked().size() - 1) + " more)" : ""), "blocked");
            } else if (!drifted.isEmpty() && driftMode() == DriftMode.REPORT) {
                decision = new Decision.Hold(Condition.DRIFTED, "drift: report; " + drifted.size()
                        + " resource(s) drifted, not corrected", "drifted");
            } else {
                decision = new Decision.Apply(!drifted.isEmpty());
            }
            return decision;
        }

        /**
         * The drifted resources: none unless live state was applied at this very revision (the
         * detector reads the revision stamp); otherwise the plan's changes are simply pending.
         */
        private List<DriftReport.DriftedResource> drift() {
            if (!(spec.orElse(null) instanceof SpecResult.Valid valid)) {
                return List.of();
            }
            DriftReport report = detector.detect(valid.spec(), revision, snapshot.specs().pauseReason(), observed);
            return report.drifted() ? report.resources() : List.of();
        }

        void apply() {
            try {
                applied = Optional.of(executor.apply(plan, stopSignal(env)));
            } finally {
                observations.applied(env);
            }
        }

        /** The reconcile line says what failed; the stack trace is for debugging only. */
        void failed(RuntimeException e) {
            error = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.debug(LogLine.event("reconcile-error").with("env", env).revision(revision).toString(), e);
        }

        void record() {
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            String planOutcome = planOutcome();
            history.record(new HistoryEntry(0, HistoryEntry.Kind.PLAN, env, revision, trigger, started, took,
                    planOutcome, plannedActions(), error.filter(e -> applied.isEmpty()), nodeId));
            metrics.reconciled(env, planOutcome);
            applied.ifPresent(r -> {
                String outcome = r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                history.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, env, revision, trigger, started,
                        r.duration(), outcome, appliedActions(r), r.error(), nodeId));
                metrics.applied(env, outcome);
            });
            boolean failure = error.isPresent() || applied.map(r -> r.outcome() == ApplyResult.Outcome.FAILED).orElse(false);
            if (failure) {
                metrics.failed(env);
                retryAt = Optional.of(backoff.failed(env));
                retries.retryAt(env, retryAt.get());
            } else {
                backoff.succeeded(env);
            }
            // Drift gauges follow what is still drifted: set when drift is only reported, cleared
            // once live state matches again.
            if (synced()) {
                metrics.drifted(env, Map.of());
            } else if (!drifted.isEmpty()) {
                metrics.drifted(env, byComponent(drifted));
            }
            EnvironmentStatus status = status(failure);
            if (status.condition() == Condition.SYNCED && spec.isEmpty() && observed.resources().isEmpty()) {
                statuses.remove(env);
            } else {
                statuses.update(env, old -> status);
            }
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
            return decision instanceof Decision.Apply a && a.correctsDrift() ? "drifted" : "changes";
        }

        private EnvironmentStatus status(boolean failure) {
            EnvironmentStatus old = statuses.get(env);
            Condition condition;
            String reason;
            Optional<String> lastApplied = old.lastAppliedRevision();
            Optional<String> lastAttempted = applied.isPresent() ? Optional.of(revision) : old.lastAttemptedRevision();
            List<EnvironmentStatus.Pending> pending = pending();
            if (error.isPresent() && applied.isEmpty()) {
                condition = Condition.FAILED;
                reason = error.get();
            } else if (applied.isPresent()) {
                ApplyResult r = applied.get();
                switch (r.outcome()) {
                    case APPLIED, NO_CHANGES -> {
                        condition = Condition.SYNCED;
                        reason = "applied " + r.steps().stream()
                                .filter(s -> s.status() == ApplyResult.Status.SUCCEEDED).count()
                                + " change(s)" + (drifted.isEmpty() ? "" : ", correcting drift");
                        lastApplied = Optional.of(revision);
                        pending = List.of();
                    }
                    case STOPPED -> {
                        Optional<String> pause = repository.pauseReason(env);
                        condition = pause.isPresent() ? Condition.PAUSED : Condition.OUT_OF_SYNC;
                        reason = "apply stopped between waves: " + r.error().orElse(pause.map(p -> "paused: " + p)
                                .orElse("stopped"));
                    }
                    case PAUSED -> {
                        condition = Condition.PAUSED;
                        reason = r.error().orElse("paused");
                    }
                    case BLOCKED -> {
                        condition = Condition.OUT_OF_SYNC;
                        reason = r.error().orElse("blocked");
                    }
                    case INVALID -> {
                        condition = Condition.INVALID;
                        reason = r.error().orElse("invalid");
                    }
                    default -> {
                        condition = Condition.FAILED;
                        reason = r.error().orElse("apply failed");
                    }
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
                    plan == null ? repository.pauseReason(env) : plan.pausedReason().or(() -> repository.pauseReason(env)),
                    valid.map(v -> v.spec().tier().id()).or(() -> plan == null ? Optional.empty() : plan.tier().map(t -> t.id())),
                    valid.map(v -> v.spec().stage().id()),
                    valid.map(v -> v.spec().drift().id()),
                    spec.orElse(null) instanceof SpecResult.Invalid i ? i.diagnostics()
                            : plan == null ? List.of() : plan.diagnostics(),
                    pending,
                    condition == Condition.SYNCED ? List.of() : drifted,
                    lastApplied, lastAttempted, Optional.of(started),
                    failure ? retryAt : Optional.empty(),
                    failure ? backoff.failures(env) : 0,
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

    /** Drifted resources counted by component, for the metrics. */
    static Map<String, Integer> byComponent(List<DriftReport.DriftedResource> drifted) {
        Map<String, Integer> out = new TreeMap<>();
        drifted.forEach(d -> out.merge(d.address().split("/")[1], 1, Integer::sum));
        return out;
    }

    /** A PAUSE file may be empty: say so rather than show nothing. */
    static String describe(String pauseReason) {
        return pauseReason.isBlank() ? "PAUSE file (no reason given)" : pauseReason;
    }
}
