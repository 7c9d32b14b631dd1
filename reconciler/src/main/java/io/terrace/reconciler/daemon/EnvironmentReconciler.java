package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftDetector;
import io.terrace.drift.DriftReport;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Backoff;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of one environment, as named steps: catch up → lock → snapshot → validate →
 * observe → plan → decide → apply ({@link ReconcilePass}, returning a {@link PassOutcome}) →
 * record ({@link OutcomePublisher}). The first two matter in a cluster: a node whose copy
 * of the repository is behind the commit that asked for the pass fetches first, and the pass
 * holds the environment's lock (a lease in PostgreSQL) throughout. Terminal problems (an invalid
 * spec, a blocked plan, a pause) hold the plan with a condition; transient ones (an AWS outage, a
 * failed step) fail the pass and back the environment off. Each pass is recorded in the history, the status board and the
 * metrics; a history write that fails is logged and skipped ({@link HistoryWrites}), the rest of the record goes on.
 */
public final class EnvironmentReconciler {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    /** Schedules a pass of an environment at a later time (after a failure), on any node. */
    @FunctionalInterface
    public interface RetryScheduler {
        void retryAt(String environment, Instant at, PassRequest request);
    }

    /** How long a pass that could not start (repository behind, environment leased) waits. */
    static final Duration RECHECK = Duration.ofSeconds(5);

    final RepositoryState repository;
    final Observer observer;
    final PlanFunction planner;
    final Executor executor;
    final DriftDetector detector;
    final HistoryWrites history;
    final StatusBoard statuses;
    final Backoff.PerKey backoff;
    final ObservationCache observations;
    final DaemonMetrics metrics;
    final Notifications notifications;
    final Clock clock;
    final String nodeId;
    private final Supplier<Optional<String>> shutdown;
    final RetryScheduler retries;
    private final Predicate<String> reach;
    private final EnvironmentLock lock;
    private final OutcomePublisher publisher;
    final ApplyLease applyLease;
    private final Optional<OriginSecretRotations> rotations;

    /**
     * @param reach true once this node's copy of the repository has a commit, fetching if needed
     * @param lock  the per-environment lock of a cluster, or {@link EnvironmentLock#QUARTZ_ONLY}
     * @param applyLease the lease of the environment's account and region, which another daemon may hold
     */
    EnvironmentReconciler(RepositoryState repository, Observer observer, PlanFunction planner, Executor executor,
                          DriftDetector detector, HistoryWrites history, StatusBoard statuses, Backoff.PerKey backoff,
                          ObservationCache observations, DaemonMetrics metrics, Notifications notifications,
                          Clock clock, String nodeId,
                          Supplier<Optional<String>> shutdown, RetryScheduler retries, Predicate<String> reach,
                          EnvironmentLock lock, ApplyLease applyLease) {
        this(repository, observer, planner, executor, detector, history, statuses, backoff, observations, metrics,
                notifications, clock, nodeId, shutdown, retries, reach, lock, applyLease, Optional.empty());
    }

    /** @param rotations the check of the origin secret a {@link Trigger#ROTATE_ORIGIN_SECRET} pass runs */
    EnvironmentReconciler(RepositoryState repository, Observer observer, PlanFunction planner, Executor executor,
                          DriftDetector detector, HistoryWrites history, StatusBoard statuses, Backoff.PerKey backoff,
                          ObservationCache observations, DaemonMetrics metrics, Notifications notifications,
                          Clock clock, String nodeId,
                          Supplier<Optional<String>> shutdown, RetryScheduler retries, Predicate<String> reach,
                          EnvironmentLock lock, ApplyLease applyLease, Optional<OriginSecretRotations> rotations) {
        this.rotations = rotations;
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
        this.notifications = notifications;
        this.clock = clock;
        this.nodeId = nodeId;
        this.shutdown = shutdown;
        this.retries = retries;
        this.reach = reach;
        this.lock = lock;
        this.publisher = new OutcomePublisher(this);
        this.applyLease = applyLease;
    }

    /** Runs one pass; never throws (failures end up in the status and the history). */
    public void reconcile(String environment, PassRequest request) {
        if (shutdown.get().isPresent()) {
            // Fired just as the daemon stops: in a cluster another node takes it.
            retries.retryAt(environment, clock.instant(), request);
            return;
        }
        if (!request.commit().map(reach::test).orElse(true)) {
            recheck(environment, request, "behind", "this node cannot fetch " + request.commit().get());
            return;
        }
        Optional<EnvironmentLock.Held> held = lock.tryLock(environment);
        if (held.isEmpty()) {
            recheck(environment, request, "leased", "another node holds the environment");
            return;
        }
        try (EnvironmentLock.Held lease = held.get()) {
            Optional<PassOutcome> outcome = run(environment, request, lease);
            outcome.flatMap(PassOutcome::askAgainAt).ifPresent(until -> retries.retryAt(environment, until, request));
            boolean stopped = outcome.flatMap(PassOutcome::applied)
                    .map(r -> r.outcome() == ApplyResult.Outcome.STOPPED).orElse(false);
            if (stopped && shutdown.get().isPresent()) {
                // In a cluster another node carries on at once; a single daemon resumes on restart.
                retries.retryAt(environment, clock.instant(), request);
            }
        }
    }

    private void recheck(String environment, PassRequest request, String event, String why) {
        LOG.atInfo().setMessage("pass-" + event).addKeyValue("env", environment).addKeyValue("reason", why)
                .addKeyValue("retry_in", RECHECK).log();
        metrics.deferred(environment, event);
        retries.retryAt(environment, clock.instant().plus(RECHECK), request);
    }

    /** Runs the pass's steps and publishes what they return; empty when the pass did not run. */
    private Optional<PassOutcome> run(String environment, PassRequest request, StopSignal lease) {
        ReconcilePass pass = new ReconcilePass(this, environment, request, lease);
        Optional<SpecSnapshot> snapshot = repository.snapshot();
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        if (request.triggers().contains(Trigger.ROTATE_ORIGIN_SECRET)) {
            // Under the environment's lock, as an apply; a back-off of failed applies does not hold it.
            rotations.ifPresent(r -> r.check(environment, snapshot.get()));
            if (request.triggers().size() == 1) {
                // Only the check was asked: no observe, no plan.
                return Optional.empty();
            }
        }
        Optional<Instant> until = pass.backingOff();
        if (until.isPresent()) {
            if (request.triggers().contains(Trigger.RETRY)) {
                // Fired before the back-off allows it (a timer is never exact): it runs when
                // allowed, so no retry is ever lost and nextAttemptAt stays true.
                retries.retryAt(environment, until.get(), request);
            }
            return Optional.empty();
        }
        try {
            PassOutcome outcome = pass.run(snapshot.get());
            publisher.publish(outcome);
            return Optional.of(outcome);
        } finally {
            statuses.idle(environment);
        }
    }

    /**
     * The stop signal handed to the executor: shutdown first, then a lost lease (of the cluster's
     * environment or of the account and region), then a pause
     * seen by the poll job.
     */
    StopSignal stopSignal(EnvironmentPlan plan, StopSignal lease) {
        return () -> shutdown.get().or(lease::stopReason).or(() -> applyLease.lost(plan))
                .or(() -> repository.pauseReason(plan.name()).map(r -> "paused: " + r));
    }

    /** Drifted resources counted by component, for the metrics. */
    static Map<String, Integer> byComponent(List<DriftReport.DriftedResource> drifted) {
        Map<String, Integer> out = new TreeMap<>();
        drifted.forEach(d -> out.merge(io.terrace.planner.Address.parse(d.address()).component().id(), 1, Integer::sum));
        return out;
    }

    /** A PAUSE file may be empty: say so rather than show nothing. */
    static String describe(String pauseReason) {
        return pauseReason.isBlank() ? "PAUSE file (no reason given)" : pauseReason;
    }
}
