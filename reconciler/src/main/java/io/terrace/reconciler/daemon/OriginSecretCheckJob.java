package io.terrace.reconciler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Quartz job: the periodic check of origin secrets ({@code --origin-secret-max-age}). It only asks
 * for a {@link Trigger#ROTATE_ORIGIN_SECRET} pass of each environment: the environment's own job
 * then checks and rotates, so a rotation never runs beside an apply of the same environment, and in
 * a cluster it runs on the node that holds the environment.
 */
@DisallowConcurrentExecution
public final class OriginSecretCheckJob implements Job {

    private final Runnable enqueueAll;

    OriginSecretCheckJob(Runnable enqueueAll) {
        this.enqueueAll = enqueueAll;
    }

    @Override
    public void execute(JobExecutionContext context) {
        enqueueAll.run();
    }
}
