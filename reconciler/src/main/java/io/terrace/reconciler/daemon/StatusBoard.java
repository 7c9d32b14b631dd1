package io.terrace.reconciler.daemon;

import io.terrace.reconciler.history.HistoryStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current status of every environment the daemon knows, as served by the API. An
 * environment appears once a commit or a sweep names it; its last applied revision survives a
 * restart through the history. In a cluster the history is shared: before the API reads the
 * statuses, the applies other nodes recorded since are taken in ({@link #catchUp}), so any node
 * answers with the newest applied revision, not the one of its own last pass.
 */
public final class StatusBoard {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final Map<String, EnvironmentStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Map<String, LastPlan> plans = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    private final HistoryStore history;
    private final String nodeId;
    /** How long the API may show the statuses without reading the shared history again. */
    private final java.time.Duration catchUpEvery;
    /** The newest history entry taken in; -1 until it was first read. */
    private long historySeen = -1;
    private long caughtUpAt;

    static final java.time.Duration CATCH_UP_EVERY = java.time.Duration.ofSeconds(1);

    /** A board that takes in no other node's applies. */
    public StatusBoard(HistoryStore history) {
        this(history, "", CATCH_UP_EVERY);
    }

    /**
     * @param nodeId this node's: the applies of others in the shared history are taken in from
     *               now on (those before are read with each status, {@link #get})
     */
    public StatusBoard(HistoryStore history, String nodeId, java.time.Duration catchUpEvery) {
        this.history = history;
        this.nodeId = nodeId;
        this.catchUpEvery = catchUpEvery;
        if (!nodeId.isEmpty()) {
            catchUp();
        }
    }

    /**
     * Takes in the applies other nodes recorded in the shared history since the last call (at
     * most once per {@code catchUpEvery}): their revisions and times, for the environments this
     * node knows. A status this node's own pass set later is kept. A history that cannot be read
     * leaves the statuses as they are.
     */
    public synchronized void catchUp() {
        long now = System.nanoTime();
        if (nodeId.isEmpty() || historySeen >= 0 && now - caughtUpAt < catchUpEvery.toNanos()) {
            return;
        }
        try {
            long newest = history.newestId();
            if (historySeen >= 0) {
                for (var e : history.appliesByOthers(historySeen, newest, nodeId)) {
                    java.time.Instant ended = e.startedAt().plus(e.duration());
                    if (statuses.computeIfPresent(e.environment(), (n, s) -> s.lastReconciledAt()
                            .filter(t -> !t.isBefore(ended)).isPresent() ? s : s.appliedElsewhere(e)) != null) {
                        version.incrementAndGet();
                    }
                }
            }
            historySeen = newest;
            caughtUpAt = now;
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("history-read-failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    public EnvironmentStatus get(String name) {
        return statuses.computeIfAbsent(name, n -> EnvironmentStatus.pending(n, lastApplied(n)));
    }

    /** From the history; unknown when it cannot be read, which must not stop a pass. */
    private Optional<String> lastApplied(String name) {
        try {
            return history.lastAppliedRevision(name);
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("history-read-failed").addKeyValue("env", name).addKeyValue("error", e.getMessage()).log();
            return Optional.empty();
        }
    }

    public Optional<EnvironmentStatus> find(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    public void update(String name, UnaryOperator<EnvironmentStatus> change) {
        get(name);
        statuses.compute(name, (n, old) -> change.apply(old));
        version.incrementAndGet();
    }

    /** Counts every change of a status, a pass's progress or a plan: a dashboard asks for it to know when to redraw. */
    public long version() {
        return version.get();
    }

    /** A pass of {@code name} is at {@code phase} ({@code step} within it), running since {@code since}. */
    public void progress(String name, String phase, String step, java.time.Instant since) {
        progress.put(name, new Progress(phase, step, since));
        version.incrementAndGet();
    }

    /** The pass of {@code name} has ended. */
    public void idle(String name) {
        if (progress.remove(name) != null) {
            version.incrementAndGet();
        }
    }

    public Optional<Progress> progress(String name) {
        return Optional.ofNullable(progress.get(name));
    }

    /** The plan of the newest pass of {@code name}. */
    public void planned(String name, LastPlan plan) {
        plans.put(name, plan);
    }

    public LastPlan plan(String name) {
        return plans.getOrDefault(name, LastPlan.NONE);
    }

    /** Forgets an environment that has neither a spec file nor live resources any more. */
    public void remove(String name) {
        statuses.remove(name);
        plans.remove(name);
        version.incrementAndGet();
    }

    /** Every status, by name. */
    public List<EnvironmentStatus> all() {
        return statuses.values().stream()
                .sorted(java.util.Comparator.comparing(EnvironmentStatus::name))
                .toList();
    }
}
