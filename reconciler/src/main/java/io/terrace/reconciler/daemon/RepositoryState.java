package io.terrace.reconciler.daemon;

import io.terrace.planner.Planner;
import io.terrace.reconciler.git.EnvironmentIndex;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecResult;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The spec repository as the poll job last saw it: the commit, its specs, which file is which
 * environment, and the pause state. Passes read it when they start and stop signals read it
 * between waves, so a PAUSE committed during an apply is seen within one poll interval.
 */
public final class RepositoryState {

    private record Seen(ObjectId commit, SpecSnapshot snapshot, EnvironmentIndex index) {}

    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private final AtomicReference<Instant> lastSync = new AtomicReference<>();

    /** Records a successful fetch (the repository answered, whether or not it moved). */
    void fetched(Instant at) {
        lastSync.set(at);
    }

    void update(ObjectId commit, SpecSnapshot snapshot, EnvironmentIndex index) {
        seen.set(new Seen(commit, snapshot, index));
    }

    /** True after the first successful fetch and read. */
    public boolean ready() {
        return seen.get() != null;
    }

    public Optional<Instant> lastSync() {
        return Optional.ofNullable(lastSync.get());
    }

    public Optional<ObjectId> commit() {
        return Optional.ofNullable(seen.get()).map(Seen::commit);
    }

    public Optional<SpecSnapshot> snapshot() {
        return Optional.ofNullable(seen.get()).map(Seen::snapshot);
    }

    public EnvironmentIndex index() {
        Seen s = seen.get();
        return s == null ? EnvironmentIndex.EMPTY : s.index;
    }

    /** The reason in the PAUSE file at the repository root, if there is one. */
    public Optional<String> repositoryPause() {
        return snapshot().flatMap(s -> s.specs().pauseReason());
    }

    /**
     * Why applies to this environment are stopped, worded as plans and drift reports word it: the
     * PAUSE file first, then {@code paused: true} in its own spec.
     */
    public Optional<String> pauseReason(String environment) {
        boolean pausedInSpec = snapshot().flatMap(s -> s.specs().find(environment))
                .filter(r -> r instanceof SpecResult.Valid v && v.spec().paused())
                .isPresent();
        return Planner.pausedReason(repositoryPause(), pausedInSpec);
    }
}
