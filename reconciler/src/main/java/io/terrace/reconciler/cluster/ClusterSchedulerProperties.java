package io.terrace.reconciler.cluster;

import java.util.Properties;

/**
 * The Quartz properties that turn a daemon's scheduler into a node of a cluster: the JDBC job
 * store in PostgreSQL instead of RAM, clustered, checking in every {@code checkinInterval}. Every
 * node uses the same values except its instance id and thread count, as Quartz requires.
 *
 * <p>Why each setting:
 * <ul>
 *   <li>{@code JobStoreTX} + {@code PostgreSQLDelegate}: Quartz manages its own transactions on
 *       the pool's connections; the delegate reads {@code BYTEA} columns correctly.</li>
 *   <li>{@code isClustered}: triggers are acquired under a row lock in {@code QRTZ_LOCKS}, so a
 *       firing happens on one node; a {@code @DisallowConcurrentExecution} job's other triggers
 *       are {@code BLOCKED} in the database while it runs, on every node.</li>
 *   <li>{@code useProperties}: job data is stored as strings, not serialized Java objects, so
 *       nodes of different builds can read each other's jobs.</li>
 *   <li>{@code acquireTriggersWithinLock} with a batch of {@code workers}: each node takes up to
 *       its free capacity at once, which spreads work over nodes and keeps lock traffic low.</li>
 *   <li>{@code idleWaitTime} of the check-in interval, at most 5 s: a trigger created on one
 *       node wakes only that node's scheduler thread; an idle node looks for work this often
 *       (Quartz's default, 30 s, would leave a busy node's new passes waiting that long).</li>
 * </ul>
 */
public final class ClusterSchedulerProperties {

    /** The Quartz scheduler name, which is also the cluster's name in the QRTZ_ tables. */
    public static final String SCHEDULER_NAME = "terrace";

    private ClusterSchedulerProperties() {}

    /**
     * {@code base} (a daemon's in-memory scheduler properties) with its job store replaced by the
     * clustered JDBC store. The thread pool, the scheduler settings and the misfire threshold of
     * {@code base} are kept (both stores have one); the scheduler name becomes the cluster's,
     * which every node must share, and the instance id the node's id, which must be unique.
     */
    public static Properties overlay(Properties base, ClusterOptions options, String dataSourceName) {
        Properties p = new Properties();
        base.stringPropertyNames().stream()
                .filter(k -> !k.startsWith("org.quartz.jobStore.") || k.equals("org.quartz.jobStore.misfireThreshold"))
                .forEach(k -> p.setProperty(k, base.getProperty(k)));
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", options.nodeId());
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(options.workerThreads()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", QuartzTables.TABLE_PREFIX);
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(options.checkinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime",
                Long.toString(Math.min(options.checkinInterval().toMillis(), 5_000)));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }
}
