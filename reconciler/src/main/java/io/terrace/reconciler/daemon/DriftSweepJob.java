package io.terrace.reconciler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Quartz job: one drift sweep, then the history pruned to its retention; it schedules the next
 * sweep, jittered, when it ends.
 */
@DisallowConcurrentExecution
public final class DriftSweepJob implements Job {

    private final DriftSweep sweep;
    private final Runnable pruneHistory;
    private final Runnable scheduleNext;

    DriftSweepJob(DriftSweep sweep, Runnable pruneHistory, Runnable scheduleNext) {
        this.sweep = sweep;
        this.pruneHistory = pruneHistory;
        this.scheduleNext = scheduleNext;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            sweep.run();
        } finally {
            try {
                pruneHistory.run();
            } finally {
                scheduleNext.run();
            }
        }
    }
}
