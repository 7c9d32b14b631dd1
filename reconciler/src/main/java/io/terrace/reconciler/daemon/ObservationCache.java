package io.terrace.reconciler.daemon;

import io.terrace.planner.ObservedState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live state read by the drift sweep's one batched observe, handed to each environment's pass so
 * it does not observe again. An observation older than the environment's last apply is stale
 * and never handed out; each one is used once.
 */
final class ObservationCache {

    private final AtomicLong clock = new AtomicLong();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    private record Entry(long at, ObservedState state) {}

    /** A tick taken before observing: what is observed afterwards is at least this fresh. */
    long tick() {
        return clock.incrementAndGet();
    }

    void put(String environment, long observedAt, ObservedState state) {
        entries.put(environment, new Entry(observedAt, state));
    }

    /** Called after each apply, so observations from before it are not used. */
    void applied(String environment) {
        applied.put(environment, tick());
    }

    Optional<ObservedState> take(String environment) {
        Entry e = entries.remove(environment);
        if (e == null || e.at < applied.getOrDefault(environment, 0L)) {
            return Optional.empty();
        }
        return Optional.of(e.state);
    }
}
