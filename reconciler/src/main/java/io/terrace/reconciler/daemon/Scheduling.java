package io.terrace.reconciler.daemon;

import io.terrace.reconciler.cluster.ClusterNode;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
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
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.JobFactory;

/**
 * The daemon's two Quartz schedulers. The control scheduler runs the poll and the drift sweep on
 * every node, each on its own thread and in memory, so a pause is seen even while every worker
 * thread is busy applying, and a sweep never waits for a free worker; a cluster node sweeps its
 * own share ({@link SweepShare}). The work scheduler runs the environment jobs on a small pool:
 * in memory for a single daemon, on Quartz's clustered JDBC job store with {@code --cluster},
 * where the same jobs and triggers are shared by every node. Nothing a pass needs lives outside
 * its trigger ({@link PassRequest}), so either store runs it.
 */
final class Scheduling implements AutoCloseable {

    static final String ENVIRONMENTS = "environments";
    /** Passes queued behind busy workers fire late, not never. */
    static final Duration MISFIRE_THRESHOLD = Duration.ofHours(1);
    static final JobKey POLL = new JobKey("poll", "control");
    static final JobKey SWEEP = new JobKey("drift-sweep", "sweep");
    static final TriggerKey NEXT_SWEEP = new TriggerKey("next", "sweep");
    static final JobKey ORIGIN_SECRETS = new JobKey("origin-secret-check", "rotation");
    static final TriggerKey ORIGIN_SECRETS_EVERY = new TriggerKey("every", "rotation");

    /**
     * How far back a pass someone waits for (a commit, a Sync) is dated. Both job stores take due
     * triggers by fire time, then priority: a sweep queues a pass of every environment at once
     * (1,000 in a fleet of 1,000), and a commit's pass dated now would wait behind all of them
     * (108 s in a three-node cluster at 1,000). Dated back, it fires at the next free worker.
     * Half the misfire threshold, so it is never a misfire even after waiting a while; passes
     * dated back alike keep the order they were asked in, to the millisecond.
     */
    static final Duration AHEAD = Scheduling.MISFIRE_THRESHOLD.dividedBy(2);

    private final Scheduler control;
    private final Scheduler work;

    Scheduling(String nodeId, int threads, Map<Class<? extends Job>, Supplier<Job>> jobs, Optional<ClusterNode> cluster)
            throws SchedulerException {
        JobFactory factory = (bundle, scheduler) -> {
            Supplier<Job> job = jobs.get(bundle.getJobDetail().getJobClass());
            if (job == null) {
                throw new SchedulerException("no job " + bundle.getJobDetail().getJobClass());
            }
            return job.get();
        };
        // The poll's thread and the sweep's.
        this.control = new StdSchedulerFactory(properties("terrace-control-" + nodeId, nodeId, 2)).getScheduler();
        Properties work = properties("terrace-work-" + nodeId, nodeId, threads);
        this.work = cluster.isPresent() ? cluster.get().scheduler(work) : new StdSchedulerFactory(work).getScheduler();
        control.setJobFactory(factory);
        this.work.setJobFactory(factory);
    }

    /** In-memory job store; a cluster node's work scheduler swaps it for the clustered JDBC store. */
    static Properties properties(String name, String nodeId, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.instanceId", nodeId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", name);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD.toMillis()));
        return p;
    }

    /**
     * Starts polling at once and sweeping after {@code firstSweep}. A cluster's database may hold
     * the one shared sweep job of nodes that swept the whole fleet: it is taken out, as each node
     * now sweeps its share.
     */
    void start(Duration poll, Duration firstSweep, OriginSecretSchedule rotation) throws SchedulerException {
        control.addJob(JobBuilder.newJob(PollJob.class).withIdentity(POLL).storeDurably().build(), true);
        control.scheduleJob(TriggerBuilder.newTrigger().withIdentity("every", "poll").forJob(POLL).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(poll.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build());
        control.addJob(JobBuilder.newJob(DriftSweepJob.class).withIdentity(SWEEP).storeDurably().build(), true);
        scheduleSweep(firstSweep);
        work.deleteJob(SWEEP);
        scheduleOriginSecretChecks(rotation);
        work.start();
        control.start();
    }

    /**
     * The periodic check of origin secrets: one repeating trigger for all nodes of a cluster, as the
     * sweep. Kept when it exists with the same interval (a restart does not push it back); taken out
     * when rotation is off.
     */
    private void scheduleOriginSecretChecks(OriginSecretSchedule rotation) throws SchedulerException {
        if (!rotation.enabled()) {
            work.unscheduleJob(ORIGIN_SECRETS_EVERY);
            return;
        }
        work.addJob(JobBuilder.newJob(OriginSecretCheckJob.class).withIdentity(ORIGIN_SECRETS).storeDurably().build(),
                true);
        org.quartz.Trigger existing = work.getTrigger(ORIGIN_SECRETS_EVERY);
        long every = rotation.checkEvery().toMillis();
        if (existing instanceof org.quartz.SimpleTrigger simple && simple.getRepeatInterval() == every) {
            return;
        }
        var trigger = TriggerBuilder.newTrigger().withIdentity(ORIGIN_SECRETS_EVERY).forJob(ORIGIN_SECRETS)
                .startAt(new Date(System.currentTimeMillis() + millisUp(rotation.firstCheck())))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        if (existing != null) {
            work.rescheduleJob(ORIGIN_SECRETS_EVERY, trigger);
            return;
        }
        try {
            work.scheduleJob(trigger);
        } catch (ObjectAlreadyExistsException raced) {
            // Another node scheduled it at the same moment: one check is all there should be.
        }
    }

    void pollNow() throws SchedulerException {
        control.triggerJob(POLL);
    }

    /** When the periodic check of origin secrets fires next; empty while it is not scheduled (rotation off). */
    Optional<java.time.Instant> nextOriginSecretCheck() throws SchedulerException {
        return Optional.ofNullable(work.getTrigger(ORIGIN_SECRETS_EVERY)).map(org.quartz.Trigger::getNextFireTime)
                .map(Date::toInstant);
    }

    void sweepNow() throws SchedulerException {
        control.triggerJob(SWEEP);
    }

    /** (Re)schedules this node's periodic sweep; there is only ever one such trigger. */
    void scheduleSweep(Duration delay) throws SchedulerException {
        var trigger = TriggerBuilder.newTrigger().withIdentity(NEXT_SWEEP).forJob(SWEEP)
                .startAt(new Date(System.currentTimeMillis() + millisUp(delay))).build();
        if (control.rescheduleJob(NEXT_SWEEP, trigger) == null) {
            control.scheduleJob(trigger);
        }
    }

    /**
     * Runs a pass of an environment after {@code delay} (zero: as soon as a worker and the
     * environment are free, on any node of a cluster).
     */
    void runEnvironment(String environment, PassRequest request, Duration delay) throws SchedulerException {
        JobKey key = environmentJob(environment);
        long now = System.currentTimeMillis();
        boolean ahead = millisUp(delay) == 0 && request.waitedFor();
        work.scheduleJob(TriggerBuilder.newTrigger().forJob(key).usingJobData(request.jobData())
                .startAt(new Date(ahead ? now - AHEAD.toMillis() : now + millisUp(delay)))
                .build());
    }

    /**
     * A delay in whole milliseconds, rounded up: a retry due at 10.0004 s must not fire at 10 s,
     * before the back-off lets it run.
     */
    static long millisUp(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return 0;
        }
        return delay.plusNanos(999_999).toMillis();
    }

    /**
     * Takes out the environment's other triggers that are due, and returns what they asked for:
     * they merge into the pass that is starting (ten commits in a row give one pass, not ten).
     * They cannot fire meanwhile: Quartz holds a running job's other triggers blocked, on every
     * node. Triggers due later (retries) stay.
     */
    static PassRequest takeDue(JobExecutionContext context) throws SchedulerException {
        Scheduler scheduler = context.getScheduler();
        PassRequest merged = new PassRequest(Set.of(), Optional.empty());
        Date now = new Date();
        for (org.quartz.Trigger t : scheduler.getTriggersOfJob(context.getJobDetail().getKey())) {
            if (t.getKey().equals(context.getTrigger().getKey()) || t.getNextFireTime() == null
                    || t.getNextFireTime().after(now)) {
                continue;
            }
            if (scheduler.unscheduleJob(t.getKey())) {
                merged = merged.merge(PassRequest.of(t.getJobDataMap()));
            }
        }
        return merged;
    }

    /**
     * True when no environment pass runs on this node and none is due or starting anywhere:
     * every trigger left is a retry for later.
     */
    boolean idle() throws SchedulerException {
        for (JobExecutionContext c : work.getCurrentlyExecutingJobs()) {
            if (c.getJobDetail().getKey().getGroup().equals(ENVIRONMENTS)) {
                return false;
            }
        }
        Date now = new Date();
        for (JobKey key : work.getJobKeys(GroupMatcher.jobGroupEquals(ENVIRONMENTS))) {
            for (org.quartz.Trigger t : work.getTriggersOfJob(key)) {
                // No next fire time: fired, its job not yet finished.
                if (t.getNextFireTime() == null || !t.getNextFireTime().after(now)) {
                    return false;
                }
            }
        }
        return true;
    }

    private JobKey environmentJob(String environment) throws SchedulerException {
        JobKey key = new JobKey(environment, ENVIRONMENTS);
        if (!work.checkExists(key)) {
            try {
                // requestRecovery: a pass running on a node that dies runs again on another.
                work.addJob(JobBuilder.newJob(EnvironmentJob.class).withIdentity(key).storeDurably().requestRecovery()
                        .build(), false);
            } catch (ObjectAlreadyExistsException raced) {
                // Another thread (or node) added it first: same job.
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
        work.standby();
        control.shutdown(true);
        work.shutdown(true);
    }
}
