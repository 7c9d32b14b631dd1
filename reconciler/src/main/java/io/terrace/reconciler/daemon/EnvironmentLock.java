package io.terrace.reconciler.daemon;

import io.terrace.reconciler.cluster.EnvironmentLeases;
import io.terrace.reconciler.engine.StopSignal;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pass of an environment to one node at a time. A single daemon needs nothing beyond
 * Quartz's own rule; a cluster node also holds the environment's lease in PostgreSQL for the
 * whole pass ({@link EnvironmentLeases}), which fences a node Quartz wrongly believes dead.
 */
interface EnvironmentLock {

    /** A lock held for one pass; asked before every wave whether it still holds. */
    interface Held extends StopSignal, AutoCloseable {
        @Override
        void close();
    }

    /** The held lock, or empty when another node holds it or the database cannot tell. */
    Optional<Held> tryLock(String environment);

    /** A single daemon: Quartz never runs an environment's job twice at once. */
    EnvironmentLock QUARTZ_ONLY = environment -> Optional.of(new Held() {
        @Override
        public Optional<String> stopReason() {
            return Optional.empty();
        }

        @Override
        public void close() {
            // Nothing held.
        }
    });

    /** A cluster node: the environment's advisory-lock lease. */
    static EnvironmentLock leases(EnvironmentLeases leases) {
        Logger log = LoggerFactory.getLogger("terrace.daemon");
        return environment -> {
            try {
                return leases.tryAcquire(environment).map(lease -> new Held() {
                    @Override
                    public Optional<String> stopReason() {
                        return lease.stopReason();
                    }

                    @Override
                    public void close() {
                        lease.close();
                    }
                });
            } catch (SQLException e) {
                log.atWarn().setMessage("lease-failed").addKeyValue("env", environment).addKeyValue("error", e.getMessage()).log();
                return Optional.empty();
            }
        };
    }
}
