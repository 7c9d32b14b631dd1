package io.terrace.reconciler.engine;

import java.time.Duration;

/**
 * How the {@link PlanExecutor} paces an apply.
 *
 * @param parallelism      steps of one wave run at most this many at a time
 * @param stepAttempts     attempts per step for transient failures (throttling, 5xx); the SDK
 *                         already retries each call, and the two multiply: 2 step attempts of
 *                         3 SDK attempts each send a throttled write 6 times at most
 * @param backoff          delay between step attempts
 * @param pollInterval     delay between two readiness checks
 * @param readinessTimeout how long one readiness wait may take before the step fails
 */
public record ExecutorSettings(
        int parallelism,
        int stepAttempts,
        Backoff backoff,
        Duration pollInterval,
        Duration readinessTimeout) {

    public static final ExecutorSettings DEFAULT = new ExecutorSettings(
            4, 2, Backoff.DEFAULT, Duration.ofSeconds(5), Duration.ofMinutes(45));

    public ExecutorSettings {
        if (parallelism < 1 || stepAttempts < 1) {
            throw new IllegalArgumentException("parallelism and stepAttempts must be at least 1");
        }
    }

    public ExecutorSettings withParallelism(int n) {
        return new ExecutorSettings(n, stepAttempts, backoff, pollInterval, readinessTimeout);
    }
}
