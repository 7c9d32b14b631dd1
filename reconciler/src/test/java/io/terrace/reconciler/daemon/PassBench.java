package io.terrace.reconciler.daemon;

import io.terrace.drift.DriftDetector;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.engine.Backoff;
import io.terrace.reconciler.engine.MutableClock;
import io.terrace.reconciler.git.EnvironmentIndex;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.history.HistoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The daemon's reconciler with its real parts (planner, back-off, status board, history, metrics,
 * notifications) on the in-memory cloud and a {@link MutableClock}, without Quartz: the retries it
 * asks for are kept in a list, and the test fires them by moving the clock, so back-off times
 * of many seconds are checked without waiting for them.
 */
final class PassBench implements AutoCloseable {

    /** A retry the reconciler asked for. */
    record Retry(String environment, Instant at, PassRequest request) {}

    final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    final InMemoryCloud cloud = new InMemoryCloud();
    final RepositoryState repository = new RepositoryState();
    /** The daemon's default back-off. */
    final DaemonConfig defaults = DaemonConfig.defaults("unused", Path.of("unused"));
    final Backoff.PerKey backoff = new Backoff(defaults.backoffBase(), defaults.backoffCap()).perKey(clock);
    final List<Retry> retries = new ArrayList<>();
    final HistoryStore history;
    final StatusBoard statuses;
    final DaemonMetrics metrics = new DaemonMetrics(clock, Optional::empty, Optional.empty());
    final HistoryWrites historyWrites;
    final Notifications notifications;
    final EnvironmentReconciler reconciler;
    /** What drift sweeps observed, as a swept pass takes it. */
    final InMemoryObservations observations = new InMemoryObservations();
    private final Path specs;

    PassBench(Path dir, HistoryStore history, Map<String, String> env) {
        this.specs = dir.resolve("specs");
        this.history = history;
        this.statuses = new StatusBoard(history);
        this.historyWrites = new HistoryWrites(history, metrics, clock);
        this.notifications = Notifications.from(env);
        this.reconciler = new EnvironmentReconciler(repository, cloud, PlanFunction.planner(PlanOptions.DEFAULT), cloud,
                new DriftDetector(clock), historyWrites, statuses, backoff, observations, metrics,
                notifications, clock, "bench", Optional::empty,
                (environment, at, request) -> retries.add(new Retry(environment, at, request)), commit -> true,
                EnvironmentLock.QUARTZ_ONLY, ApplyLease.UNCONTESTED);
    }

    /** Writes a spec file and makes it what the last poll read. */
    void spec(String environment, String yaml) {
        try {
            Files.createDirectories(specs.resolve("environments"));
            Files.writeString(specs.resolve(TestSpecs.path(environment)), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SpecSnapshot snapshot = SpecSnapshot.read(specs);
        repository.update(ObjectId.zeroId(), snapshot, EnvironmentIndex.of(snapshot));
    }

    void pass(String environment, Trigger trigger) {
        reconciler.reconcile(environment, PassRequest.of(trigger, Optional.empty()));
    }

    /** Takes the earliest retry asked for, moves the clock to {@code early} before it and runs it. */
    Retry fireRetry(Duration early) {
        Retry next = retries.stream().min(java.util.Comparator.comparing(Retry::at))
                .orElseThrow(() -> new AssertionError("no retry scheduled"));
        retries.remove(next);
        Instant when = next.at().minus(early);
        if (when.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), when));
        }
        reconciler.reconcile(next.environment(), next.request());
        return next;
    }

    EnvironmentStatus status(String environment) {
        return statuses.find(environment).orElseThrow(() -> new AssertionError("no status for " + environment));
    }

    @Override
    public void close() {
        notifications.close();
        history.close();
    }
}
