package io.terrace.reconciler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Quartz job: one poll of the spec repository, every {@code --poll} and on a webhook. */
@DisallowConcurrentExecution
public final class PollJob implements Job {

    private final Poller poller;

    PollJob(Poller poller) {
        this.poller = poller;
    }

    @Override
    public void execute(JobExecutionContext context) {
        poller.poll();
    }
}
