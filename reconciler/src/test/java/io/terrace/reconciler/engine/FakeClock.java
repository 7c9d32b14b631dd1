package io.terrace.reconciler.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that only moves when told to, and a sleeper that moves it instead of sleeping. */
final class FakeClock extends Clock {

    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");
    final java.util.List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        return now;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    Sleeper sleeper() {
        return d -> {
            sleeps.add(d);
            advance(d);
        };
    }
}
