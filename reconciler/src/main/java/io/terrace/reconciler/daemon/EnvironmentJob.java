package io.terrace.reconciler.daemon;

import java.util.EnumSet;
import java.util.Set;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Quartz job: one reconcile pass of one environment. There is one job per environment (its key
 * is the environment name) and Quartz never runs a job twice at once, so an environment is never
 * reconciled twice at the same time while different environments run side by side.
 */
@DisallowConcurrentExecution
public final class EnvironmentJob implements Job {

    static final String TRIGGER = "trigger";

    private final EnvironmentReconciler reconciler;
    private final WorkQueue queue;

    EnvironmentJob(EnvironmentReconciler reconciler, WorkQueue queue) {
        this.reconciler = reconciler;
        this.queue = queue;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String env = context.getJobDetail().getKey().getName();
        Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        triggers.addAll(queue.take(env));
        String extra = context.getMergedJobDataMap().getString(TRIGGER);
        if (extra != null) {
            triggers.add(Trigger.valueOf(extra));
        }
        reconciler.reconcile(env, triggers);
    }
}
