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
 *
 * <p>When the head of the branch cannot be read at all, the specs last read are kept for the
 * record but nothing is applied from them: the unreadable head counts as a repository-wide pause
 * (failing closed) until a readable commit arrives, since the head may hold a PAUSE or a fix.
 */
public final class RepositoryState {

    private record Seen(ObjectId commit, SpecSnapshot snapshot, EnvironmentIndex index) {}

    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private final AtomicReference<Instant> lastSync = new AtomicReference<>();
    private final AtomicReference<Optional<String>> unreadable = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<FetchFailure>> fetchFailure = new AtomicReference<>(Optional.empty());

    private record FetchFailure(Instant since, String error) {}

    /**
     * Records a successful fetch (the repository answered, whether or not it moved).
     *
     * @return true when fetches were failing until now
     */
    boolean fetched(Instant at) {
        lastSync.set(at);
        return fetchFailure.getAndSet(Optional.empty()).isPresent();
    }

    /**
     * Records a fetch that failed (the remote is unreachable, refuses, or sends what cannot be
     * stored). The commit read last stays in force: nothing is planned from the remote's state.
     */
    void fetchFailed(Instant at, String error) {
        fetchFailure.getAndUpdate(f -> Optional.of(new FetchFailure(f.map(FetchFailure::since).orElse(at), error)));
    }

    /**
     * Why the spec repository cannot be fetched, since when, and what stays in force meanwhile;
     * empty while fetches succeed.
     */
    public Optional<String> fetchFailing() {
        return fetchFailure.get().map(f -> "spec repository cannot be fetched since " + f.since() + " (" + f.error()
                + "); " + commit().map(c -> "the last commit read, " + c.name().substring(0, 12) + ", stays in force")
                        .orElse("nothing read yet"));
    }

    /** Records a readable head; an unreadable one before it is over. */
    void update(ObjectId commit, SpecSnapshot snapshot, EnvironmentIndex index) {
        seen.set(new Seen(commit, snapshot, index));
        unreadable.set(Optional.empty());
    }

    /**
     * Records that the head {@code commit} of the branch cannot be read.
     *
     * @return the reason, when the head was readable until now (the condition is new)
     */
    Optional<String> readFailed(ObjectId commit, String error) {
        String reason = "repository head " + commit.name().substring(0, 12) + " cannot be read (" + error
                + "); nothing is applied until a readable commit arrives";
        return unreadable.getAndSet(Optional.of(reason)).isEmpty() ? Optional.of(reason) : Optional.empty();
    }

    /** Why the head of the branch cannot be read, while it cannot. */
    public Optional<String> unreadable() {
        return unreadable.get();
    }

    /** True after the first successful fetch and read. */
    public boolean ready() {
        return seen.get() != null;
    }

    /**
     * Why the daemon is not ready (readiness probe): nothing read yet, the head of the branch
     * cannot be read, or the last fetch failed; empty when it is ready.
     */
    public Optional<String> notReady() {
        return unreadable.get().or(this::fetchFailing)
                .or(() -> ready() ? Optional.empty() : Optional.of("no successful fetch yet"));
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

    /**
     * Why applies to every environment are stopped: the head cannot be read, or the reason in the
     * PAUSE file at the repository root.
     */
    public Optional<String> repositoryPause() {
        return unreadable.get().or(() -> snapshot().flatMap(s -> s.specs().pauseReason()));
    }

    /**
     * Why applies to this environment are stopped, worded as plans and drift reports word it: an
     * unreadable head first, then the PAUSE file, then {@code paused: true} in its own spec.
     */
    public Optional<String> pauseReason(String environment) {
        if (unreadable.get().isPresent()) {
            return unreadable.get();
        }
        boolean pausedInSpec = snapshot().flatMap(s -> s.specs().find(environment))
                .filter(r -> r instanceof SpecResult.Valid v && v.spec().paused())
                .isPresent();
        return Planner.pausedReason(snapshot().flatMap(s -> s.specs().pauseReason()), pausedInSpec);
    }
}
