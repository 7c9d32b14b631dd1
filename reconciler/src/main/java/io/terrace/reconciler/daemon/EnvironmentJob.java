package io.terrace.reconciler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/**
 * Quartz job: one reconcile pass of one environment. There is one job per environment (its key
 * is the environment name) and Quartz never runs a job twice at once, on one node or across a
 * cluster, so an environment is never reconciled twice at the same time while different
 * environments run side by side. What the pass is for comes from its trigger's job data, merged
 * with the other triggers of the environment that are due.
 */
@DisallowConcurrentExecution
public final class EnvironmentJob implements Job {

    private final EnvironmentReconciler reconciler;

    EnvironmentJob(EnvironmentReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String env = context.getJobDetail().getKey().getName();
        PassRequest request = PassRequest.of(context.getMergedJobDataMap());
        try {
            request = request.merge(Scheduling.takeDue(context));
        } catch (SchedulerException e) {
            // The waiting triggers stay and give their own passes: one pass too many, none lost.
        }
        reconciler.reconcile(env, request);
    }
}
