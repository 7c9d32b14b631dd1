package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftDetector;
import io.terrace.drift.DriftReport;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.logging.LogEncoder;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic drift sweep over every environment (a cluster node's: over its share,
 * {@link SweepShare}): one batched observe of all of them, a drift report (files,
 * {@code /api/drift}, metrics), then a pass of each environment, which corrects drift where
 * {@code drift: correct} and nothing pauses it, and retries what is out of sync.
 */
final class DriftSweep {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final RepositoryState repository;
    private final Observer observer;
    private final Supplier<Set<String>> discover;
    private final DriftDetector detector;
    private final StatusBoard statuses;
    private final ObservationCache observations;
    private final DriftReportFiles reports;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final Consumer<String> enqueue;
    private final SweepShare share;
    private final AtomicLong completed = new AtomicLong();
    /**
     * The start-up's batched observe of every environment is running. A sweep now would observe
     * the fleet a second time while the first is not done, and the start-up passes would take the
     * sweep's observations, leaving the sweep's own passes to observe one environment each.
     */
    private final java.util.concurrent.atomic.AtomicBoolean startUpObserving =
            new java.util.concurrent.atomic.AtomicBoolean();

    DriftSweep(RepositoryState repository, Observer observer, Supplier<Set<String>> discover,
               DriftDetector detector, StatusBoard statuses,
               ObservationCache observations, DriftReportFiles reports, SweepShare share, DaemonMetrics metrics,
               Clock clock, Consumer<String> enqueue) {
        this.repository = repository;
        this.observer = observer;
        this.discover = discover;
        this.detector = detector;
        this.statuses = statuses;
        this.observations = observations;
        this.reports = reports;
        this.metrics = metrics;
        this.clock = clock;
        this.enqueue = enqueue;
        this.share = share;
    }

    /** Sweeps finished since start, failed ones included (not those skipped during the start-up observe). */
    long completed() {
        return completed.get();
    }

    /**
     * One sweep, or none while the start-up's observe of the fleet runs: its passes check every
     * environment's drift, and the daemon schedules the first sweep one interval after it ends.
     */
    Optional<DriftReportFiles.Sweep> run() {
        if (startUpObserving.get()) {
            LOG.atInfo().setMessage("drift-sweep-skipped").addKeyValue("reason", "start-up observe running").log();
            return Optional.empty();
        }
        try {
            return sweep();
        } finally {
            completed.incrementAndGet();
        }
    }

    /**
     * Observes {@code names} in one batch (a cluster node: one per region,
     * {@link SweepShare#observesUnitByUnit}) and leaves each environment's state for its next pass
     * (the start-up passes, or those of a commit touching many environments). A commit's reads
     * every detail afresh, as any pass not started by a sweep; the start-up's ({@code startUp})
     * takes the details kept in the data folder as a sweep would, since they are no older than
     * the detail interval (a restarted daemon does not read them all again), and a start-up pass
     * that would apply observes afresh first, as a sweep's does. When the observe fails, each pass
     * observes its environment itself. No sweep runs during the start-up's.
     */
    void prefetch(Set<String> names, boolean startUp) {
        startUpObserving.set(startUp);
        try {
            long tick = observations.tick();
            long started = System.nanoTime();
            Collection<Set<String>> batches = share.observesUnitByUnit() ? byUnit(names) : List.of(names);
            for (Set<String> batch : batches) {
                Map<String, ObservedState> split = (startUp ? observer.observe(batch) : observer.observeFresh(batch))
                        .perEnvironment();
                for (String env : batch) {
                    observations.put(env, tick, split.getOrDefault(env, ObservedState.EMPTY));
                }
            }
            LOG.atInfo().setMessage("prefetch").addKeyValue("environments", names.size())
                    .addKeyValue("batches", batches.size())
                    .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000).log();
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("prefetch-failed").addKeyValue("environments", names.size())
                    .addKeyValue("error", String.valueOf(e.getMessage())).log();
        } finally {
            startUpObserving.set(false);
        }
    }

    /**
     * {@code names} by the unit a cluster splits its sweep by ({@link Observer#sweepUnit}), the
     * environments that are a unit of their own together.
     */
    private Collection<Set<String>> byUnit(Set<String> names) {
        Map<String, Set<String>> batches = new TreeMap<>();
        for (String env : names) {
            String unit = observer.sweepUnit(env);
            batches.computeIfAbsent(unit.equals(env) ? "" : unit, u -> new TreeSet<>()).add(env);
        }
        return batches.values();
    }

    private Optional<DriftReportFiles.Sweep> sweep() {
        Optional<SpecSnapshot> found = repository.snapshot();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SpecSnapshot snapshot = found.get();
        Set<String> names = new TreeSet<>(repository.index().environments());
        snapshot.specs().results().forEach(r -> names.add(r.name()));
        statuses.all().forEach(s -> names.add(s.name()));
        long tick;
        ObservedState observed;
        java.util.function.Predicate<String> mine;
        try {
            tick = observations.tick();
            names.addAll(discover.get());
            Map<String, String> units = new java.util.HashMap<>();
            names.forEach(env -> units.put(env, observer.sweepUnit(env)));
            mine = share.mine(units);
            names.removeIf(mine.negate());
            long started = System.nanoTime();
            observed = observer.observe(names);
            metrics.swept(names.size(), java.time.Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("drift-sweep-failed").addKeyValue("environments", names.size())
                    .addKeyValue("error", String.valueOf(e.getMessage())).log();
            return Optional.empty();
        }
        // Split once: narrowing the observation to each environment in turn is quadratic in the fleet.
        Map<String, ObservedState> split = observed.perEnvironment();
        observed.environments().stream().filter(mine).forEach(names::add);
        for (String env : names) {
            observations.put(env, tick, split.getOrDefault(env, ObservedState.EMPTY));
        }
        Optional<DriftReportFiles.Sweep> result = Optional.empty();
        try {
            DriftReportFiles.Sweep sweep = report(snapshot, split, names);
            Path file = reports.write(sweep);
            share.publish(sweep);
            result = Optional.of(sweep);
            LOG.atInfo().setMessage("drift-sweep").addKeyValue("revision", LogEncoder.revision(snapshot.commit())).addKeyValue("environments", names.size())
                    .addKeyValue("drifted_environments", sweep.driftedEnvironments())
                    .addKeyValue("drifted_resources", sweep.driftedResources())
                    .addKeyValue("report", file.getFileName()).log();
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("drift-report-failed").addKeyValue("revision", LogEncoder.revision(snapshot.commit()))
                    .addKeyValue("error", String.valueOf(e.getMessage())).setCause(e).log();
        }
        names.forEach(enqueue);
        return result;
    }

    private DriftReportFiles.Sweep report(SpecSnapshot snapshot, Map<String, ObservedState> split, Set<String> names) {
        List<DriftReport> checked = new ArrayList<>();
        Map<String, List<Diagnostic>> invalid = new TreeMap<>();
        Map<String, SpecResult> specs = new java.util.HashMap<>();
        snapshot.specs().results().forEach(r -> specs.putIfAbsent(r.name(), r));
        for (String env : names) {
            Optional<SpecResult> spec = Optional.ofNullable(specs.get(env));
            if (spec.orElse(null) instanceof SpecResult.Valid valid) {
                DriftReport r = detector.detect(valid.spec(),
                        snapshot.revisions().getOrDefault(env, SpecSnapshot.UNKNOWN_REVISION),
                        snapshot.specs().pauseReason(), split.getOrDefault(env, ObservedState.EMPTY));
                metrics.drifted(env, EnvironmentReconciler.byComponent(r.resources()));
                checked.add(r);
            } else if (spec.orElse(null) instanceof SpecResult.Invalid bad) {
                invalid.put(env, bad.diagnostics());
            }
            // No spec file: the environment's resources are a pending (blocked) deletion, not drift.
        }
        return new DriftReportFiles.Sweep(clock.instant(), snapshot.commit(), checked, invalid);
    }
}
