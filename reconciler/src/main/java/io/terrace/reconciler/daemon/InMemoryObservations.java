package io.terrace.reconciler.daemon;

import io.terrace.planner.ObservedState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The observation cache of a single daemon: in memory, with a counter for a clock. */
final class InMemoryObservations implements ObservationCache {

    private final AtomicLong clock = new AtomicLong();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    private record Entry(long at, ObservedState state) {}

    @Override
    public long tick() {
        return clock.incrementAndGet();
    }

    @Override
    public void put(String environment, long observedAt, ObservedState state) {
        entries.put(environment, new Entry(observedAt, state));
    }

    @Override
    public void applied(String environment) {
        applied.put(environment, tick());
    }

    @Override
    public Optional<ObservedState> take(String environment) {
        Entry e = entries.remove(environment);
        if (e == null || e.at < applied.getOrDefault(environment, 0L)) {
            return Optional.empty();
        }
        return Optional.of(e.state);
    }
}
