package io.terrace.reconciler.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The PostgreSQL database a cluster shares, as one connection pool per node: Quartz's job store,
 * the schema bootstrap and the plan/apply history all draw from it. Environment leases take
 * connections of their own ({@link #openDedicated()}) because an advisory lock lives as long as
 * its session, and a pooled session outlives the work that took the lock.
 */
public final class ClusterDatabase implements AutoCloseable {

    private final ClusterOptions options;
    private final HikariDataSource pool;

    private ClusterDatabase(ClusterOptions options, HikariDataSource pool) {
        this.options = options;
        this.pool = pool;
    }

    /**
     * Connects, failing at once with one line naming the database when it cannot be reached:
     * a node that cannot see the cluster's database must not start scheduling.
     */
    public static ClusterDatabase open(ClusterOptions options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.url());
        config.setDataSourceProperties(options.connectionProperties());
        config.setPoolName("terrace-" + options.nodeId());
        // Quartz holds one connection per busy worker plus its scheduler, check-in and misfire
        // threads; the history writer and the bootstrap need a few more.
        config.setMaximumPoolSize(options.workerThreads() + 6);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(10_000);
        config.setValidationTimeout(3_000);
        try {
            return new ClusterDatabase(options, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException("cannot connect to the cluster database " + options.url() + ": "
                    + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public ClusterOptions options() {
        return options;
    }

    /** A connection outside the pool: closing it ends the session and every lock it holds. */
    public Connection openDedicated() throws SQLException {
        return DriverManager.getConnection(options.url(), options.connectionProperties());
    }

    @Override
    public void close() {
        pool.close();
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
