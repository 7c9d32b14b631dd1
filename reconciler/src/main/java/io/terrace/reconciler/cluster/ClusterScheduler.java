package io.terrace.reconciler.cluster;

import java.util.Properties;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Creates a node's Quartz scheduler on the cluster's database. The job store gets its
 * connections from the node's pool through a provider registered under a name unique to this
 * scheduler, so several nodes can share one JVM (as the tests do) without sharing a pool.
 */
public final class ClusterScheduler {

    private ClusterScheduler() {}

    /**
     * A scheduler, not started: {@code base} (the daemon's own Quartz properties: thread pool,
     * plugins) with the job store replaced by the clustered JDBC store.
     */
    public static Scheduler create(ClusterDatabase database, Properties base) throws SchedulerException {
        ClusterOptions options = database.options();
        String dataSourceName = "terrace-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName,
                new DataSourceConnectionProvider(database.dataSource()));
        Properties properties = ClusterSchedulerProperties.overlay(base, options, dataSourceName);
        Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
        // Quartz keeps a JVM-wide registry of schedulers by name and would hand a second node in
        // the same JVM the first node's scheduler; Terrace never looks schedulers up by name.
        SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
        return scheduler;
    }
}
