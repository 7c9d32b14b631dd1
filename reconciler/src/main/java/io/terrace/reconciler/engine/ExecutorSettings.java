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
 * @param rolloutTimeout   how long a rollout (an ECS deployment reaching a steady state) may take
 *                         before its step fails, saying how far it got
 */
public record ExecutorSettings(
        int parallelism,
        int stepAttempts,
        Backoff backoff,
        Duration pollInterval,
        Duration readinessTimeout,
        Duration rolloutTimeout) {

    /** The rollout timeout unless one is given: long enough for a few tasks to pass their health checks. */
    public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(15);

    public static final ExecutorSettings DEFAULT = new ExecutorSettings(
            4, 2, Backoff.DEFAULT, Duration.ofSeconds(5), Duration.ofMinutes(45), DEFAULT_ROLLOUT_TIMEOUT);

    /** Settings with the default rollout timeout. */
    public ExecutorSettings(int parallelism, int stepAttempts, Backoff backoff, Duration pollInterval,
            Duration readinessTimeout) {
        this(parallelism, stepAttempts, backoff, pollInterval, readinessTimeout, DEFAULT_ROLLOUT_TIMEOUT);
    }

    public ExecutorSettings {
        if (parallelism < 1 || stepAttempts < 1) {
            throw new IllegalArgumentException("parallelism and stepAttempts must be at least 1");
        }
        if (rolloutTimeout == null || rolloutTimeout.isNegative()) {
            throw new IllegalArgumentException("rolloutTimeout must be zero or more");
        }
    }

    public ExecutorSettings withParallelism(int n) {
        return new ExecutorSettings(n, stepAttempts, backoff, pollInterval, readinessTimeout, rolloutTimeout);
    }

    public ExecutorSettings withRolloutTimeout(Duration timeout) {
        return new ExecutorSettings(parallelism, stepAttempts, backoff, pollInterval, readinessTimeout, timeout);
    }
}
