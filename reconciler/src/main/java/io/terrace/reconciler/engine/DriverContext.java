package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedResource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

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
}
