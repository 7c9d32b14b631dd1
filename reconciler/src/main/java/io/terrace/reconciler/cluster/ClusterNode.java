package io.terrace.reconciler.cluster;

import java.sql.SQLException;
import java.util.Properties;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a daemon needs to run as one node of a cluster, opened in the order that makes a
 * start safe: the database (failing at once when it is unreachable), the schema bootstrap
 * under the cluster-wide lock (with the history's own migrations as a step), then the clustered
 * work scheduler, the change claims, the shared observations and detail reads, the sweep's shares
 * and the leases the daemon asks for. Closing it closes the pool, after the daemon has shut its scheduler down.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.cluster");

    private final ClusterDatabase database;
    private final ChangeClaims claims;
    private final SharedObservations observations;
    private final EnvironmentLeases leases;
    private final SharedDetailReads details;
    private final SweepShares shares;

    private ClusterNode(ClusterDatabase database) {
        this.database = database;
        String node = database.options().nodeId();
        this.claims = new ChangeClaims(database.dataSource(), node);
        this.observations = new SharedObservations(database.dataSource());
        this.leases = new EnvironmentLeases(database);
        this.details = new SharedDetailReads(database.dataSource(), node);
        this.shares = new SweepShares(database.dataSource(), node);
    }

    /**
     * Connects and bootstraps the schema; {@code historyMigrations} is the history store's own
     * migration run, so that it too happens once, under the lock.
     */
    public static ClusterNode join(ClusterOptions options, ClusterSchema.Step... historyMigrations) throws SQLException {
        ClusterDatabase database = ClusterDatabase.open(options);
        try {
            var applied = ClusterSchema.bootstrap(database, historyMigrations);
            LOG.atInfo().setMessage("cluster-join").addKeyValue("node", options.nodeId())
                    .addKeyValue("database", options.url()).addKeyValue("checkin", options.checkinInterval())
                    .addKeyValue("migrations_applied", applied).log();
            return new ClusterNode(database);
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public ClusterDatabase database() {
        return database;
    }

    /** The work scheduler: {@code base} (the daemon's Quartz properties) on the clustered store. */
    public Scheduler scheduler(Properties base) throws SchedulerException {
        return ClusterScheduler.create(database, base);
    }

    public ChangeClaims claims() {
        return claims;
    }

    public SharedObservations observations() {
        return observations;
    }

    public EnvironmentLeases leases() {
        return leases;
    }

    /** The detail reads this node's observers share with the others. */
    public SharedDetailReads details() {
        return details;
    }

    /** Where the nodes' drift sweeps split the fleet, and their reports. */
    public SweepShares shares() {
        return shares;
    }

    @Override
    public void close() {
        database.close();
    }
}
