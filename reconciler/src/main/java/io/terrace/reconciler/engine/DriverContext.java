package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedResource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a driver needs besides its own resource and its region's clients: a clock, the live state
 * of the environment's other resources as the current apply knows it (for example the network
 * stack's subnets and target groups when creating an ECS service), and a way to wait.
 */
public interface DriverContext {

    Clock clock();

    /** Live state of another resource of the same environment, by address. */
    Optional<ObservedResource> live(String address);

    /** Waits with the context's clock and polling policy until {@code condition} holds. */
    void await(String what, BooleanSupplier condition);

    /**
     * Polls {@code check} like {@link #await} until the rollout is done. A {@link Rollout.Failed}
     * fails at once with {@code "<what>: <reason>"}; a rollout still under way when the executor's
     * rollout timeout is up fails with {@code "<what>: <progress> after 15m; last event: <event>"}.
     * This default waits as {@link #await} does; the executor's own context applies the rollout timeout.
     */
    default void awaitRollout(String what, Supplier<Rollout> check) {
        await(what, () -> {
            Rollout r = check.get();
            if (r instanceof Rollout.Failed f) {
                throw new NotReady(what + ": " + f.reason());
            }
            return r instanceof Rollout.Done;
        });
    }

    /**
     * A wait that ended without the resource becoming ready: timed out, or its rollout failed.
     * The resource exists; the step fails with this message. Unlike a failed call, it is never
     * taken for a lost response whose resource could be adopted ({@link ManagedDriver#create}).
     */
    final class NotReady extends IllegalStateException {
        public NotReady(String message) {
            super(message);
        }
    }
}
