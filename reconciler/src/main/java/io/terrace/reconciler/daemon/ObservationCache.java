package io.terrace.reconciler.daemon;

import io.terrace.planner.ObservedState;
import io.terrace.reconciler.cluster.SharedObservations;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state read by the drift sweep's one batched observe, handed to each environment's pass so
 * it does not observe again. An observation older than the environment's last apply is stale
 * and never handed out; each one is used once. A single daemon keeps them in memory; in a
 * cluster they go through PostgreSQL, so the pass uses the sweep's observation on whichever node
 * it runs, and observation is not multiplied by the number of nodes.
 */
interface ObservationCache {

    /** A tick taken before observing: what is observed afterwards is at least this fresh. */
    long tick();

    void put(String environment, long observedAt, ObservedState state);

    /** Called after each apply, so observations from before it are not used. */
    void applied(String environment);

    Optional<ObservedState> take(String environment);

    /**
     * The cluster's shared observations. A database failure costs an observation, never a pass:
     * what cannot be shared is observed again by the pass.
     */
    static ObservationCache shared(SharedObservations shared) {
        Logger log = LoggerFactory.getLogger("terrace.daemon");
        return new ObservationCache() {
            @Override
            public long tick() {
                return shared.tick();
            }

            @Override
            public void put(String environment, long observedAt, ObservedState state) {
                try {
                    shared.put(environment, observedAt, state);
                } catch (IllegalStateException e) {
                    log.atWarn().setMessage("observation-not-shared").addKeyValue("env", environment)
                            .addKeyValue("error", e.getMessage()).log();
                }
            }

            @Override
            public void applied(String environment) {
                try {
                    shared.applied(environment);
                } catch (IllegalStateException e) {
                    log.atWarn().setMessage("apply-not-shared").addKeyValue("env", environment)
                            .addKeyValue("error", e.getMessage()).log();
                }
            }

            @Override
            public Optional<ObservedState> take(String environment) {
                return shared.takeState(environment);
            }
        };
    }
}
