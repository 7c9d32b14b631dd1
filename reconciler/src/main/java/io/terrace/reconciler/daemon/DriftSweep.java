package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.DriftMode;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic drift sweep over every environment: one batched observe of all of them, one
 * plan, a drift report (files, {@code /api/drift}, metrics), then a pass of each environment,
 * which corrects drift where {@code drift: correct} and nothing pauses it.
 */
final class DriftSweep {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final RepositoryState repository;
    private final Observer observer;
    private final PlanFunction planner;
    private final DriftCheck driftCheck;
    private final StatusBoard statuses;
    private final ObservationCache observations;
    private final DriftReportFiles reports;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final Consumer<String> enqueue;
    private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

    DriftSweep(RepositoryState repository, Observer observer, PlanFunction planner, DriftCheck driftCheck,
               StatusBoard statuses, ObservationCache observations, DriftReportFiles reports, DaemonMetrics metrics,
               Clock clock, Consumer<String> enqueue) {
        this.repository = repository;
        this.observer = observer;
        this.planner = planner;
        this.driftCheck = driftCheck;
        this.statuses = statuses;
        this.observations = observations;
        this.reports = reports;
        this.metrics = metrics;
        this.clock = clock;
        this.enqueue = enqueue;
    }

    /** Sweeps finished since start, failed ones included. */
    long completed() {
        return completed.get();
    }

    Optional<DriftReport> run() {
        try {
            return sweep();
        } finally {
            completed.incrementAndGet();
        }
    }

    private Optional<DriftReport> sweep() {
        Optional<SpecSnapshot> found = repository.snapshot();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SpecSnapshot snapshot = found.get();
        Set<String> names = new TreeSet<>(repository.index().environments());
        snapshot.specs().results().forEach(r -> names.add(r.name()));
        statuses.all().forEach(s -> names.add(s.name()));
        long tick = observations.tick();
        ObservedState observed;
        try {
            observed = observer.observe(names);
        } catch (RuntimeException e) {
            LOG.warn(LogLine.event("drift-sweep-failed").with("environments", names.size())
                    .with("error", String.valueOf(e.getMessage())).toString(), e);
            return Optional.empty();
        }
        names.addAll(observed.environments());
        for (String env : names) {
            observations.put(env, tick, ObservedState.of(observed.environment(env)));
        }
        Optional<DriftReport> report = Optional.empty();
        try {
            Plan plan = planner.plan(snapshot.specs(), snapshot.revisions(), observed);
            DriftReport r = report(snapshot, plan, observed, names);
            Path file = reports.write(r);
            report = Optional.of(r);
            LOG.info(LogLine.event("drift-sweep").revision(snapshot.commit()).with("environments", names.size())
                    .with("drifted_environments", r.driftedEnvironments())
                    .with("drifted_resources", r.driftedResources())
                    .with("report", file.getFileName()).toString());
        } catch (RuntimeException e) {
            LOG.warn(LogLine.event("drift-report-failed").revision(snapshot.commit())
                    .with("error", String.valueOf(e.getMessage())).toString(), e);
        }
        names.forEach(enqueue);
        return report;
    }

    private DriftReport report(SpecSnapshot snapshot, Plan plan, ObservedState observed, Set<String> names) {
        List<DriftReport.Entry> entries = new ArrayList<>();
        for (String env : names) {
            Optional<SpecResult> spec = snapshot.specs().find(env);
            String revision = snapshot.revisions().getOrDefault(env, SpecSnapshot.UNKNOWN_REVISION);
            Optional<String> paused = repository.pauseReason(env).map(EnvironmentReconciler::describe);
            if (spec.orElse(null) instanceof SpecResult.Invalid invalid) {
                entries.add(new DriftReport.Entry(env, revision, "invalid", "none", paused, List.of(), 0,
                        invalid.diagnostics().stream().map(Diagnostic::toString).toList()));
                continue;
            }
            Optional<EnvironmentPlan> envPlan = plan.environments().stream().filter(p -> p.name().equals(env)).findFirst();
            if (envPlan.isEmpty()) {
                metrics.drifted(env, Map.of());
                continue;
            }
            EnvironmentPlan p = envPlan.get();
            List<DriftedResource> drifted = p.hasChanges()
                    ? driftCheck.drifted(p, ObservedState.of(observed.environment(env))) : List.of();
            int pending = p.actions().size() - drifted.size();
            String state = !drifted.isEmpty() ? "drifted" : pending > 0 ? "pending" : "in-sync";
            DriftMode mode = spec.filter(SpecResult.Valid.class::isInstance)
                    .map(r -> ((SpecResult.Valid) r).spec().drift()).orElse(DriftMode.CORRECT);
            String action = drifted.isEmpty() ? (pending > 0 ? "apply" : "none")
                    : paused.map(r -> "paused: " + r).orElse(mode.id());
            if (!p.blocked().isEmpty()) {
                action = "blocked";
            }
            metrics.drifted(env, EnvironmentReconciler.byComponent(drifted));
            entries.add(new DriftReport.Entry(env, p.revision(), state, action, paused, drifted, pending,
                    p.diagnostics().stream().map(Diagnostic::toString).toList()));
        }
        return new DriftReport(clock.instant(), snapshot.commit(), entries);
    }
}
