package io.terrace.reconciler.engine;

import java.time.Duration;

/**
 * Waits for a while. The executor sleeps only through this, between readiness polls and step
 * retries, so tests pass one that advances a fake {@link java.time.Clock} instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
