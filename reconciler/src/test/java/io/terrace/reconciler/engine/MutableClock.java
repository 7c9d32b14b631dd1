package io.terrace.reconciler.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tests' clock: it moves only when told to, and its {@link #sleeper()} moves it instead of
 * sleeping, so back-off, polling and ages are tested without waiting.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** Every pause the sleeper was asked for, in order. */
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** A sleeper that records the pause and moves the clock by it. */
    public Sleeper sleeper() {
        return d -> {
            sleeps.add(d);
            advance(d);
        };
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
