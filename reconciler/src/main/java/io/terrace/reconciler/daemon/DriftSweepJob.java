package io.terrace.reconciler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Quartz job: one drift sweep; it schedules the next one, jittered, when it ends. */
@DisallowConcurrentExecution
public final class DriftSweepJob implements Job {

    private final DriftSweep sweep;
    private final Runnable scheduleNext;

    DriftSweepJob(DriftSweep sweep, Runnable scheduleNext) {
        this.sweep = sweep;
        this.scheduleNext = scheduleNext;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            sweep.run();
        } finally {
            scheduleNext.run();
        }
    }
}
