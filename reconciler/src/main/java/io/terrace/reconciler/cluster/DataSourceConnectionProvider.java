package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Hands Quartz's JDBC job store connections from the node's pool. The pool belongs to the
 * {@link ClusterDatabase}, which the history also uses, so Quartz shutting down its job store
 * must not close it.
 */
final class DataSourceConnectionProvider implements ConnectionProvider {

    private final DataSource dataSource;

    DataSourceConnectionProvider(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // The ClusterDatabase closes the pool after the scheduler has stopped.
    }

    @Override
    public void initialize() {
        // The pool is open already.
    }
}
