package io.terrace.reconciler.daemon;

import io.terrace.reconciler.git.EnvironmentIndex;
import io.terrace.reconciler.git.GitSource;
import io.terrace.reconciler.git.GitSourceException;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.logging.LogEncoder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll: one git fetch, and when the branch moved, the new commit read and the environments
 * whose files changed queued. The first poll after a start queues every environment, so a
 * restarted daemon converges from live state. When a poll queues more than one environment, their
 * live state is read first in one batched observe, which their passes use, as a sweep's do.
 *
 * <p>A fetched head that cannot be read stops every apply ({@link RepositoryState#unreadable()}):
 * it is said once in a notification and in each environment's status, and at each poll in the
 * log and the metrics. Each poll reads it again; the first readable head ends the condition and
 * queues every environment, as lifting a PAUSE does.
 */
final class Poller {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final GitSource git;
    private final SnapshotReader reader;
    private final RepositoryState state;
    private final DaemonMetrics metrics;
    private final Notifications notifications;
    private final Clock clock;
    private final BiConsumer<String, Trigger> enqueue;
    private final Prefetch prefetch;
    private final AtomicReference<Optional<PollResult>> last = new AtomicReference<>(Optional.empty());
    private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();

    /** One batched observe of the environments a read queued, ahead of their passes. */
    interface Prefetch {
        /**
         * @param startUp the daemon's first read of the repository: every environment is queued
         * @return the environments whose passes it settled itself (a cluster node claims each at the
         *         commit and queues those it won): the poll asks for no pass of them again
         */
        Set<String> observe(Set<String> environments, boolean startUp);
    }

    Poller(GitSource git, SnapshotReader reader, RepositoryState state, DaemonMetrics metrics,
           Notifications notifications, Clock clock, BiConsumer<String, Trigger> enqueue,
           Prefetch prefetch) {
        this.git = git;
        this.reader = reader;
        this.state = state;
        this.metrics = metrics;
        this.notifications = notifications;
        this.clock = clock;
        this.enqueue = enqueue;
        this.prefetch = prefetch;
    }

    synchronized PollResult poll() {
        long start = System.nanoTime();
        ObjectId head;
        try {
            head = git.fetch();
            metrics.fetched(Duration.ofNanos(System.nanoTime() - start));
        } catch (GitSourceException e) {
            metrics.fetchFailed(Duration.ofNanos(System.nanoTime() - start));
            state.fetchFailed(clock.instant(), e.getMessage());
            // The commit read last stays in force: nothing is planned from what could not be fetched.
            LOG.atWarn().setMessage("fetch-failed").addKeyValue("branch", git.branch())
                    .addKeyValue("revision", state.commit().map(c -> LogEncoder.revision(c.name())).orElse("none"))
                    .addKeyValue("error", e.getMessage()).log();
            return remember(new PollResult(clock.instant(), state.commit().map(ObjectId::name), false, false, Set.of(),
                    Optional.of(e.getMessage())));
        }
        if (state.fetched(clock.instant())) {
            LOG.atInfo().setMessage("fetch-recovered").addKeyValue("branch", git.branch())
                    .addKeyValue("revision", LogEncoder.revision(head.name())).log();
        }
        Optional<ObjectId> previous = state.commit();
        if (previous.isPresent() && previous.get().equals(head)) {
            LOG.atDebug().setMessage("fetch").addKeyValue("revision", LogEncoder.revision(head.name())).addKeyValue("moved", false).log();
            return remember(new PollResult(clock.instant(), Optional.of(head.name()), false, false, Set.of(), Optional.empty()));
        }
        try {
            SpecSnapshot snapshot = reader.read(git.repository(), head);
            EnvironmentIndex index = EnvironmentIndex.of(snapshot);
            boolean recovered = state.unreadable().isPresent();
            EnvironmentIndex.Changes changes = previous.isEmpty()
                    ? new EnvironmentIndex.Changes(true, index.environments())
                    : index.affected(GitSource.changedPaths(git.repository(), previous, head), state.index());
            boolean pauseChanged = previous.isPresent() && (changes.pauseChanged() || recovered);
            Set<String> enqueued = new TreeSet<>(changes.environments());
            if (recovered) {
                // Nothing was applied while the head was unreadable: every environment catches up.
                enqueued.addAll(index.environments());
                enqueued.addAll(state.index().environments());
            }
            state.update(head, snapshot, index);
            metrics.headRead();
            if (recovered) {
                LOG.atInfo().setMessage("head-readable").addKeyValue("revision", LogEncoder.revision(head.name())).addKeyValue("branch", git.branch())
                        .addKeyValue("applies", "resumed").log();
                notifications.repository(Optional.empty(), head.name());
            }
            LOG.atInfo().setMessage("revision").addKeyValue("revision", LogEncoder.revision(head.name())).addKeyValue("branch", git.branch())
                    .addKeyValue("environments", index.environments().size())
                    .addKeyValue("changed", String.join(",", enqueued))
                    .addKeyValue("paused", snapshot.specs().pauseReason().map(EnvironmentReconciler::describe).orElse("no")).log();
            // A start or a commit touching many environments: one batched observe for all of them,
            // not one observe per pass (at 1,000 environments, ~7x fewer AWS calls).
            Set<String> settled = enqueued.size() > 1 ? prefetch.observe(enqueued, previous.isEmpty()) : Set.of();
            enqueued.stream().filter(env -> !settled.contains(env)).forEach(env -> enqueue.accept(env, Trigger.CHANGE));
            return remember(new PollResult(clock.instant(), Optional.of(head.name()), true, pauseChanged, enqueued,
                    Optional.empty()));
        } catch (IOException | RuntimeException e) {
            return remember(unreadable(head, e));
        }
    }

    /** The head cannot be read: no apply until one can, said once (and logged at each poll). */
    private PollResult unreadable(ObjectId head, Exception e) {
        String message = (e.getMessage() == null ? e.toString() : e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
        metrics.headUnreadable();
        Optional<String> started = state.readFailed(head, message);
        LOG.atWarn().setMessage("head-unreadable").addKeyValue("revision", LogEncoder.revision(head.name())).addKeyValue("branch", git.branch())
                .addKeyValue("applies", "stopped").addKeyValue("error", message).log();
        if (started.isPresent()) {
            LOG.debug("head " + head.name() + " cannot be read", e);
            notifications.repository(started, head.name());
            // One pass each, held by the condition, so every environment's status says why.
            state.index().environments().forEach(env -> enqueue.accept(env, Trigger.SWEEP));
        }
        return new PollResult(clock.instant(), Optional.of(head.name()), false, false, Set.of(), Optional.of(message));
    }

    /**
     * True once this node's copy of the repository has {@code commit}, polling first when it has
     * not: in a cluster a pass may be asked for by a node whose last poll was more recent than
     * this one's. Passes waiting here share the one poll (this method and the poll hold the same
     * lock, and the second finds the commit).
     */
    synchronized boolean reach(String commit) {
        if (has(commit)) {
            return true;
        }
        poll();
        return has(commit);
    }

    private boolean has(String commit) {
        if (!ObjectId.isId(commit)) {
            return state.ready();
        }
        ObjectId id = ObjectId.fromString(commit);
        if (state.commit().filter(id::equals).isPresent()) {
            return true;
        }
        try {
            return state.ready() && git.repository().getObjectDatabase().has(id);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    Optional<PollResult> last() {
        return last.get();
    }

    /** Polls finished since start, failed ones included. */
    long completed() {
        return completed.get();
    }

    private PollResult remember(PollResult r) {
        last.set(Optional.of(r));
        completed.incrementAndGet();
        return r;
    }
}
