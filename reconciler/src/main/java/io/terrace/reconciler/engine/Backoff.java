package io.terrace.reconciler.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": before retry {@code n} the delay is drawn
 * uniformly from {@code [d/2, d]} where {@code d = min(cap, base * 2^(n-1))}. Half the delay is
 * fixed so a retry never comes immediately; the other half spreads retries of many environments
 * so they do not hit a throttled API in step.
 */
public record Backoff(Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= cap");
        }
    }

    /**
     * @param retry  1 for the first retry, 2 for the second, ...
     * @param random uniform in [0, 1)
     */
    public Duration delay(int retry, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1");
        }
        double exponential = base.toMillis() * Math.pow(2, Math.min(retry - 1, 30));
        double ceiling = Math.min(cap.toMillis(), exponential);
        double r = Math.max(0, Math.min(1, random.getAsDouble()));
        return Duration.ofMillis((long) (ceiling / 2 + r * ceiling / 2));
    }
}
