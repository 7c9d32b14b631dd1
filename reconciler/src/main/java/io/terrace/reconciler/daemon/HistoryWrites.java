package io.terrace.reconciler.daemon;

import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How passes write the history: a write that fails (a full disk, a database down) is logged,
 * counted in the metrics and shown as the daemon's {@code history} condition, never thrown into
 * the pass, whose status, back-off and notifications matter more than its record.
 */
final class HistoryWrites {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final HistoryStore store;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final AtomicReference<Optional<DaemonCondition>> failing = new AtomicReference<>(Optional.empty());

    HistoryWrites(HistoryStore store, DaemonMetrics metrics, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        metrics.historyWritable(() -> failing.get().isEmpty());
    }

    /** Writes one entry; returns false when it could not be written. */
    boolean record(HistoryEntry entry) {
        try {
            store.record(entry);
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            Instant since = failing.get().flatMap(DaemonCondition::since).orElse(clock.instant());
            failing.set(Optional.of(DaemonCondition.failing(DaemonCondition.HISTORY, error, since)));
            metrics.historyWriteFailed();
            LOG.atWarn().setMessage("history-write-failed").addKeyValue("env", entry.environment())
                    .addKeyValue("kind", entry.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .addKeyValue("outcome", entry.outcome()).addKeyValue("error", error).log();
            return false;
        }
        if (failing.getAndSet(Optional.empty()).isPresent()) {
            LOG.atInfo().setMessage("history-write-recovered").addKeyValue("env", entry.environment()).log();
        }
        return true;
    }

    /**
     * A read of the history failed (a page or the API asked for past entries): logged, and the
     * condition says so until the next write succeeds. Not counted as a write failure.
     */
    void readFailed(RuntimeException e) {
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        Instant since = failing.get().flatMap(DaemonCondition::since).orElse(clock.instant());
        failing.set(Optional.of(DaemonCondition.failing(DaemonCondition.HISTORY, error, since)));
        LOG.atWarn().setMessage("history-read-failed").addKeyValue("error", error).log();
    }

    /** The history condition: ok, or failing since the first of the failed writes in a row. */
    DaemonCondition condition() {
        return failing.get().orElse(DaemonCondition.ok(DaemonCondition.HISTORY));
    }
}
