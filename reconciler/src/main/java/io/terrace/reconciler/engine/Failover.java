package io.terrace.reconciler.engine;

import java.util.List;
import java.util.Optional;

/**
 * Promotes standbys of one environment's data services, as asked by an operator: an Aurora reader
 * becomes the writer, a Redis replica becomes the primary. Which instance is the writer (or the
 * primary) is not part of the desired state, so the next plan after a failover is empty.
 */
@FunctionalInterface
public interface Failover {

    /**
     * Fails over what {@code request} names and waits until it is done.
     *
     * @return one line per service failed over ({@code database: writer is now X (was Y)})
     * @throws Refused when the environment has nothing to fail over to; the message is one line
     */
    List<String> failover(String environment, Request request);

    /**
     * What to fail over: the database, the cache, or both (neither named means both, each where
     * it has a standby), and optionally the instance (or cache node) to promote.
     */
    record Request(boolean database, boolean cache, Optional<String> target) {

        public Request {
            if (target.isPresent() && database == cache) {
                throw new Refused("--to names one instance: choose --database or --cache");
            }
        }

        /** Neither named: both. */
        public boolean both() {
            return database == cache;
        }

        public boolean wantsDatabase() {
            return database || both();
        }

        public boolean wantsCache() {
            return cache || both();
        }
    }

    /** A failover that cannot start: no reader, no replica, an unknown target. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
