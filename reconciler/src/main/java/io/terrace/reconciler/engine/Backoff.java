package io.terrace.reconciler.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The one capped exponential backoff of Terrace: the n-th consecutive failure waits up to
 * {@code d = min(cap, base * 2^(n-1))}. Step retries draw their delay with "equal jitter"
 * uniformly from {@code [d/2, d]} ({@link #delay(int, DoubleSupplier)}): half the delay is fixed
 * so a retry never comes immediately, the other half spreads the retries of many environments so
 * they do not hit a throttled API in step. Failing environments and GitHub calls wait the full
 * {@link #ceiling(int)}; {@link #perKey(Clock)} counts the failures of each environment.
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

    /** The delay after {@code failures} consecutive failures (1 for the first), without jitter. */
    public Duration ceiling(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures count from 1");
        }
        int shift = Math.min(failures - 1, 30);
        Duration d = base.multipliedBy(1L << shift);
        return d.isNegative() || d.compareTo(cap) > 0 ? cap : d;
    }

    /**
     * @param retry  1 for the first retry, 2 for the second, ...
     * @param random uniform in [0, 1)
     */
    public Duration delay(int retry, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1");
        }
        long ceiling = ceiling(retry).toMillis();
        double r = Math.max(0, Math.min(1, random.getAsDouble()));
        return Duration.ofMillis((long) (ceiling / 2.0 + r * ceiling / 2.0));
    }

    /** Failures counted per key (an environment), each key backing off on its own. */
    public PerKey perKey(Clock clock) {
        return new PerKey(this, clock);
    }

    /**
     * Per-environment back-off after failures: the n-th consecutive failure waits
     * {@link #ceiling(int) ceiling(n)} before sweeps and retries try again. A success resets it; a
     * new revision of the spec is tried at once whatever the delay (the commit may be the fix).
     */
    public static final class PerKey {

        private final Backoff backoff;
        private final Clock clock;
        private final Map<String, State> states = new ConcurrentHashMap<>();

        private record State(int failures, Instant notBefore) {}

        private PerKey(Backoff backoff, Clock clock) {
            this.backoff = backoff;
            this.clock = clock;
        }

        /** Counts a failure and returns when the key may be tried again. */
        public Instant failed(String key) {
            State s = states.compute(key, (k, old) -> {
                int failures = old == null ? 1 : old.failures + 1;
                return new State(failures, clock.instant().plus(backoff.ceiling(failures)));
            });
            return s.notBefore;
        }

        public void succeeded(String key) {
            states.remove(key);
        }

        /** The delay after {@code failures} consecutive failures. */
        public Duration delay(int failures) {
            return backoff.ceiling(failures);
        }

        public int failures(String key) {
            State s = states.get(key);
            return s == null ? 0 : s.failures;
        }

        /** When the key may be tried again, if that is still in the future. */
        public Optional<Instant> waitingUntil(String key) {
            State s = states.get(key);
            if (s == null || !s.notBefore.isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(s.notBefore);
        }
    }
}
