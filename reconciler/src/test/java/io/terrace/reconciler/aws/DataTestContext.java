package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import io.terrace.reconciler.engine.DriverContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A driver context for the data-service tests: a fixed clock, the live resources a test hands
 * in, and waits that poll the condition a bounded number of times without ever sleeping (moto
 * settles at once; a condition that never holds fails the test instead of hanging it).
 */
final class DataTestContext implements DriverContext {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final AwsClients aws;
    private final Map<String, ObservedResource> live = new HashMap<>();
    private final int maxPolls;
    private int polls;

    DataTestContext(AwsClients aws) {
        this(aws, 25);
    }

    DataTestContext(AwsClients aws, int maxPolls) {
        this.aws = aws;
        this.maxPolls = maxPolls;
    }

    DataTestContext with(ObservedResource resource) {
        live.put(resource.address(), resource);
        return this;
    }

    DataTestContext forget(String address) {
        live.remove(address);
        return this;
    }

    /** How many times a wait found its condition false so far. */
    int polls() {
        return polls;
    }

    @Override
    public Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Override
    public Optional<ObservedResource> live(String address) {
        return Optional.ofNullable(live.get(address));
    }

    @Override
    public void await(String what, BooleanSupplier condition) {
        for (int i = 0; i < maxPolls; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            polls++;
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }
}
