package io.terrace.reconciler.daemon;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

/**
 * The daemon's two Quartz schedulers. The control scheduler runs the poll on every node, on its
 * own thread, so a pause is seen even while every worker thread is busy applying. The work
 * scheduler runs the environment jobs and the drift sweep on a small pool; it is configured
 * through {@link Properties} only, so moving it to Quartz's clustered JDBC job store (several
 * daemons sharing the environments) is a configuration change.
 */
final class Scheduling implements AutoCloseable {

    static final String ENVIRONMENTS = "environments";
    static final JobKey POLL = new JobKey("poll", "control");
    static final JobKey SWEEP = new JobKey("drift-sweep", "sweep");
    static final TriggerKey NEXT_SWEEP = new TriggerKey("next", "sweep");

    private final Scheduler control;
    private final Scheduler work;

    Scheduling(String nodeId, int threads, Map<Class<? extends Job>, Supplier<Job>> jobs) throws SchedulerException {
        JobFactory factory = (bundle, scheduler) -> {
            Supplier<Job> job = jobs.get(bundle.getJobDetail().getJobClass());
            if (job == null) {
                throw new SchedulerException("no job " + bundle.getJobDetail().getJobClass());
            }
            return job.get();
        };
        this.control = new StdSchedulerFactory(properties("terrace-control-" + nodeId, nodeId, 1)).getScheduler();
        // One more thread than environment passes: the sweep never waits for a free worker.
        this.work = new StdSchedulerFactory(properties("terrace-work-" + nodeId, nodeId, threads + 1)).getScheduler();
        control.setJobFactory(factory);
        work.setJobFactory(factory);
    }

    /** In-memory job store; see docs/operations.md for the clustered JDBC properties. */
    static Properties properties(String name, String nodeId, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.instanceId", nodeId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", name);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        // Passes queued behind busy workers fire late, not never.
        p.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
        return p;
    }

    void start(Duration poll, Duration firstSweep) throws SchedulerException {
        control.addJob(JobBuilder.newJob(PollJob.class).withIdentity(POLL).storeDurably().build(), true);
        control.scheduleJob(TriggerBuilder.newTrigger().withIdentity("every", "poll").forJob(POLL).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(poll.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build());
        work.addJob(JobBuilder.newJob(DriftSweepJob.class).withIdentity(SWEEP).storeDurably().build(), true);
        scheduleSweep(firstSweep);
        work.start();
        control.start();
    }

    void pollNow() throws SchedulerException {
        control.triggerJob(POLL);
    }

    void sweepNow() throws SchedulerException {
        work.triggerJob(SWEEP);
    }

    /** (Re)schedules the periodic sweep; there is only ever one such trigger. */
    void scheduleSweep(Duration delay) throws SchedulerException {
        var trigger = TriggerBuilder.newTrigger().withIdentity(NEXT_SWEEP).forJob(SWEEP)
                .startAt(new Date(System.currentTimeMillis() + delay.toMillis())).build();
        if (work.rescheduleJob(NEXT_SWEEP, trigger) == null) {
            work.scheduleJob(trigger);
        }
    }

    /** Runs a pass of an environment now (or as soon as a worker and the environment are free). */
    void runEnvironment(String environment) throws SchedulerException {
        JobKey key = environmentJob(environment);
        work.triggerJob(key);
    }

    /** Runs a retry pass of an environment after a delay. */
    void retryEnvironment(String environment, Duration delay) throws SchedulerException {
        JobKey key = environmentJob(environment);
        work.scheduleJob(TriggerBuilder.newTrigger().forJob(key)
                .usingJobData(EnvironmentJob.TRIGGER, Trigger.RETRY.name())
                .startAt(new Date(System.currentTimeMillis() + Math.max(0, delay.toMillis())))
                .build());
    }

    /** True while an environment pass runs or is about to. */
    boolean running() throws SchedulerException {
        for (JobExecutionContext c : work.getCurrentlyExecutingJobs()) {
            if (c.getJobDetail().getKey().getGroup().equals(ENVIRONMENTS)) {
                return true;
            }
        }
        return false;
    }

    private JobKey environmentJob(String environment) throws SchedulerException {
        JobKey key = new JobKey(environment, ENVIRONMENTS);
        if (!work.checkExists(key)) {
            try {
                work.addJob(JobBuilder.newJob(EnvironmentJob.class).withIdentity(key).storeDurably().build(), false);
            } catch (ObjectAlreadyExistsException raced) {
                // Another thread added it first: same job.
            }
        }
        return key;
    }

    /**
     * Stops polling, stops firing passes, and waits for running passes: their stop signal now
     * says "shutting down", so each ends after its current wave.
     */
    @Override
    public void close() throws SchedulerException {
        control.shutdown(true);
        work.standby();
        work.shutdown(true);
    }
}
