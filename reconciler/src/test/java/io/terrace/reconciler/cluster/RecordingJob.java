package io.terrace.reconciler.cluster;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * A stand-in for an environment's reconcile job: records when it starts and ends on which node,
 * and holds the environment in between until its node's {@link Work} says it is done.
 * {@link Exclusive} is the real shape, {@link Concurrent} the control that is allowed to overlap.
 */
abstract class RecordingJob implements Job {

    /** How long a run holds its key: a fixed time, or until the test releases it. */
    interface Work {
        void run(String key) throws InterruptedException;

        static Work taking(long millis) {
            // A run stands for an apply that takes time; the latch is never counted down.
            CountDownLatch never = new CountDownLatch(1);
            return key -> never.await(millis, TimeUnit.MILLISECONDS);
        }

        static Work until(CountDownLatch release) {
            return key -> release.await();
        }
    }

    private final DataSource dataSource;
    private final String node;
    private final Work work;

    RecordingJob(DataSource dataSource, String node, Work work) {
        this.dataSource = dataSource;
        this.node = node;
        this.work = work;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String key = context.getJobDetail().getKey().getName();
        try {
            long run = RunLog.started(dataSource, key, node, context.isRecovering());
            work.run(key);
            RunLog.finished(dataSource, run);
        } catch (SQLException e) {
            throw new JobExecutionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobExecutionException(e);
        }
    }

    /** Runs one at a time per job key, across the cluster. */
    @DisallowConcurrentExecution
    static final class Exclusive extends RecordingJob {
        Exclusive(DataSource dataSource, String node, Work work) {
            super(dataSource, node, work);
        }
    }

    /** The same job without {@code @DisallowConcurrentExecution}. */
    static final class Concurrent extends RecordingJob {
        Concurrent(DataSource dataSource, String node, Work work) {
            super(dataSource, node, work);
        }
    }
}
