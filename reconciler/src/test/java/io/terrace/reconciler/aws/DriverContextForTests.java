package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import io.terrace.reconciler.engine.DriverContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** A driver context outside any apply: no live state known, waits fail unless already true. */
final class DriverContextForTests implements DriverContext {

    private final AwsClients aws;

    DriverContextForTests(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Optional<ObservedResource> live(String address) {
        return Optional.empty();
    }

    @Override
    public void await(String what, BooleanSupplier condition) {
        if (!condition.getAsBoolean()) {
            throw new IllegalStateException("not ready: " + what);
        }
    }
}
