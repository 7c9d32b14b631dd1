package io.terrace.reconciler.cluster;

import io.terrace.reconciler.engine.StopSignal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fences each environment to one node at a time with a PostgreSQL advisory lock held for the
 * whole reconcile pass. Quartz alone decides that a node is dead when it misses its check-in;
 * a node that is only slow (a long GC pause, a network partition from the database) would then
 * run its environment while another node recovers it. The lock is tied to a database session
 * of its own, which ends when the process dies (the kernel closes its socket) or, for a host
 * that vanished, after a few missed TCP keep-alives; and a lease that lost its session stops
 * the apply at the next wave through {@link Lease#stopReason()}.
 */
public final class EnvironmentLeases {

    /** First key of the two-part advisory lock: "terr", so Terrace's locks are recognisable. */
    static final int LOCK_NAMESPACE = 0x74657272;

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentLeases.class);

    private final ClusterDatabase database;

    public EnvironmentLeases(ClusterDatabase database) {
        this.database = database;
    }

    /** The lease of {@code environment}, or empty when another node's session holds it. */
    public Optional<Lease> tryAcquire(String environment) throws SQLException {
        Connection c = database.openDedicated();
        try {
            try (Statement s = c.createStatement()) {
                // The server notices a vanished client within idle + interval * count seconds.
                s.execute("SET tcp_keepalives_idle = 10");
                s.execute("SET tcp_keepalives_interval = 5");
                s.execute("SET tcp_keepalives_count = 3");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
                ps.setInt(1, LOCK_NAMESPACE);
                ps.setString(2, environment);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new Lease(environment, c));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A held lease: close it when the pass ends; ask it between waves whether it still holds. */
    public static final class Lease implements AutoCloseable, StopSignal {

        private final String environment;
        private final Connection connection;

        private Lease(String environment, Connection connection) {
            this.environment = environment;
            this.connection = connection;
        }

        public String environment() {
            return environment;
        }

        /** Empty while the lock's session is alive; a reason to stop once it is gone. */
        @Override
        public Optional<String> stopReason() {
            try {
                if (connection.isValid(3)) {
                    return Optional.empty();
                }
            } catch (SQLException e) {
                // Treated as lost, below.
            }
            return Optional.of("lost the cluster lease on " + environment + ": the database session ended");
        }

        /**
         * Unlocks, so the next node can take the environment at once, and ends the session,
         * which releases the lock anyway if the unlock could not be sent.
         */
        @Override
        public void close() {
            try (connection; PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                ps.setInt(1, LOCK_NAMESPACE);
                ps.setString(2, environment);
                ps.executeQuery().close();
            } catch (SQLException e) {
                LOG.debug("closing the lease session of {}: {}", environment, e.getMessage());
            }
        }
    }
}
