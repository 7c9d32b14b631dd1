package io.terrace.reconciler.engine;

import io.terrace.planner.Action;
import io.terrace.planner.ObservedResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an apply of one environment did, step by step.
 *
 * @param live the environment's resources as an applied plan left them, by address: what the plan
 *             observed, with what each step returned in place of what it changed; a deleted
 *             resource is not there. Empty when nothing was applied.
 */
public record ApplyResult(
        String environment,
        String revision,
        Outcome outcome,
        List<Step> steps,
        Duration duration,
        Optional<String> error,
        Map<String, ObservedResource> live) {

    public ApplyResult {
        steps = List.copyOf(steps);
        live = Map.copyOf(live);
    }

    public ApplyResult(String environment, String revision, Outcome outcome, List<Step> steps, Duration duration,
            Optional<String> error) {
        this(environment, revision, outcome, steps, duration, error, Map.of());
    }

    /** This apply followed by {@code next} of the same environment: its steps after these, its outcome. */
    public ApplyResult then(ApplyResult next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new ApplyResult(environment, next.revision, next.outcome, all, duration.plus(next.duration),
                next.error, next.live);
    }

    public enum Outcome {
        /** Every change was applied and confirmed. */
        APPLIED,
        /** Nothing to do. */
        NO_CHANGES,
        /** At least one step failed; dependents were skipped. */
        FAILED,
        /** Stopped between two waves by a StopSignal (pause, shutdown). */
        STOPPED,
        /** Not applied: the plan holds blocked changes. */
        BLOCKED,
        /** Not applied: the environment or repository is paused. */
        PAUSED,
        /** Not applied: the spec is invalid. */
        INVALID;

        public boolean isFailure() {
            return this == FAILED || this == INVALID;
        }
    }

    public record Step(String address, Action action, Status status, String message) {}

    public enum Status { SUCCEEDED, FAILED, SKIPPED }
}
