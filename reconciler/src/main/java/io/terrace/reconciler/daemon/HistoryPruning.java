package io.terrace.reconciler.daemon;

import io.terrace.reconciler.history.HistoryRetention;
import io.terrace.reconciler.history.HistoryStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --history-retention} after each drift sweep, to the pass history and to the
 * drift reports in {@code <data>/reports/}: the sweep is already the daemon's periodic job. In a
 * cluster each node runs it after its own share's sweep: the reports are the node's own, and
 * pruning the shared history again is a delete that finds little left.
 */
final class HistoryPruning implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.daemon");

    private final HistoryStore history;
    private final DriftReportFiles reports;
    private final HistoryRetention retention;
    private final Clock clock;

    HistoryPruning(HistoryStore history, DriftReportFiles reports, HistoryRetention retention, Clock clock) {
        this.history = history;
        this.reports = reports;
        this.retention = retention;
        this.clock = clock;
    }

    /** Never throws: a history that cannot be pruned now is pruned at the next sweep. */
    @Override
    public void run() {
        Optional<Instant> cutoff = retention.cutoff(clock.instant());
        if (cutoff.isEmpty()) {
            return;
        }
        try {
            long deleted = history.prune(cutoff.get());
            if (deleted > 0) {
                LOG.atInfo().setMessage("history-pruned").addKeyValue("deleted", deleted).addKeyValue("before", cutoff.get())
                        .addKeyValue("retention", retention).log();
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("history-prune-failed").addKeyValue("error", e.getMessage()).log();
        }
        try {
            long deleted = reports.prune(cutoff.get());
            if (deleted > 0) {
                LOG.atInfo().setMessage("reports-pruned").addKeyValue("deleted", deleted).addKeyValue("before", cutoff.get())
                        .addKeyValue("retention", retention).log();
            }
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().setMessage("reports-prune-failed").addKeyValue("error", e.getMessage()).log();
        }
    }
}
