package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;

/**
 * One cluster node inside the test JVM: its own pool, its own clustered scheduler, and jobs
 * that record into the {@link RunLog}. {@link #die()} stops it the way a killed process stops:
 * no clean-up in the database, every session cut.
 */
final class TestNode implements AutoCloseable {

    final String id;
    final ClusterDatabase database;
    final Scheduler scheduler;
    private final String url;
    private boolean dead;

    private TestNode(String id, String url, ClusterDatabase database, Scheduler scheduler) {
        this.id = id;
        this.url = url;
        this.database = database;
        this.scheduler = scheduler;
    }

    static TestNode start(String url, String id, Duration checkin, int workers, RecordingJob.Work work)
            throws SQLException, SchedulerException {
        ClusterOptions options = ClusterOptions.parse(url, Map.of(), checkin, id, workers);
        ClusterDatabase database = ClusterDatabase.open(options);
        ClusterSchema.bootstrap(database);
        Scheduler scheduler = ClusterScheduler.create(database, threadPool(id, workers));
        JobFactory jobs = (bundle, s) -> job(bundle.getJobDetail().getJobClass(), database, id, work);
        scheduler.setJobFactory(jobs);
        scheduler.start();
        return new TestNode(id, url, database, scheduler);
    }

    /** What a daemon's own properties give its work scheduler: a thread pool of its own. */
    static Properties threadPool(String id, int workers) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(workers));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "terrace-" + id + "-worker");
        return p;
    }

    private static Job job(Class<? extends Job> type, ClusterDatabase db, String id, RecordingJob.Work work) {
        if (type == RecordingJob.Concurrent.class) {
            return new RecordingJob.Concurrent(db.dataSource(), id, work);
        }
        return new RecordingJob.Exclusive(db.dataSource(), id, work);
    }

    /**
     * As kill -9 would: the scheduler stops without waiting for its jobs or telling the others,
     * and the database ends every session of this node, so nothing it still runs can write.
     */
    void die() throws SchedulerException, SQLException {
        dead = true;
        scheduler.shutdown(false);
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, "terrace " + id);
            ps.executeQuery().close();
        }
        database.close();
    }

    @Override
    public void close() throws SchedulerException {
        if (!dead) {
            scheduler.shutdown(true);
            database.close();
        }
    }
}
