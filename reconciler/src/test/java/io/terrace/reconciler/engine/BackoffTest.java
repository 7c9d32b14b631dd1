package io.terrace.reconciler.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10));

    @Test
    void doublesFromTheBaseUpToTheCap() {
        assertEquals(Duration.ofSeconds(30), backoff.ceiling(1));
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(2));
        assertEquals(Duration.ofSeconds(480), backoff.ceiling(5));
        assertEquals(Duration.ofMinutes(10), backoff.ceiling(6));
        assertEquals(Duration.ofMinutes(10), backoff.ceiling(1000));
        assertThrows(IllegalArgumentException.class, () -> backoff.ceiling(0));
    }

    @Test
    void stepRetriesWaitBetweenHalfAndAllOfTheCeiling() {
        assertEquals(Duration.ofSeconds(60), backoff.delay(3, () -> 0.0));
        assertEquals(Duration.ofSeconds(120), backoff.delay(3, () -> 1.0));
        assertEquals(Duration.ofSeconds(90), backoff.delay(3, () -> 0.5));
    }

    @Test
    void eachEnvironmentBacksOffOnItsOwnUntilItSucceeds() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Backoff.PerKey perKey = backoff.perKey(clock);
        assertEquals(clock.instant().plusSeconds(30), perKey.failed("a"));
        assertEquals(clock.instant().plusSeconds(60), perKey.failed("a"));
        assertEquals(2, perKey.failures("a"));
        assertEquals(0, perKey.failures("b"));
        assertTrue(perKey.waitingUntil("a").isPresent());
        assertTrue(perKey.waitingUntil("b").isEmpty());
        perKey.succeeded("a");
        assertEquals(0, perKey.failures("a"));
        assertTrue(perKey.waitingUntil("a").isEmpty());
    }
}
