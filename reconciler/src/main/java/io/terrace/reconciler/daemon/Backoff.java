package io.terrace.reconciler.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-environment exponential back-off after failures: the n-th consecutive failure waits
 * {@code base * 2^(n-1)}, capped, before sweeps and retries try again. A success resets it; a new
 * revision of the spec is tried at once whatever the delay (the commit may be the fix).
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private record State(int failures, Instant notBefore) {}

    public Backoff(Duration base, Duration cap, Clock clock) {
        this.base = base;
        this.cap = cap;
        this.clock = clock;
    }

    /** Counts a failure and returns when the environment may be tried again. */
    public Instant failed(String environment) {
        State s = states.compute(environment, (k, old) -> {
            int failures = old == null ? 1 : old.failures + 1;
            return new State(failures, clock.instant().plus(delay(failures)));
        });
        return s.notBefore;
    }

    public void succeeded(String environment) {
        states.remove(environment);
    }

    /** The delay after {@code failures} consecutive failures. */
    public Duration delay(int failures) {
        int shift = Math.min(failures - 1, 30);
        Duration d = base.multipliedBy(1L << shift);
        return d.compareTo(cap) > 0 ? cap : d;
    }

    public int failures(String environment) {
        State s = states.get(environment);
        return s == null ? 0 : s.failures;
    }

    /** When the environment may be tried again, if that is still in the future. */
    public Optional<Instant> waitingUntil(String environment) {
        State s = states.get(environment);
        if (s == null || !s.notBefore.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(s.notBefore);
    }
}
