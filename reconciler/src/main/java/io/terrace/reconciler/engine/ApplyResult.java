package io.terrace.reconciler.engine;

import io.terrace.planner.Action;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What an apply of one environment did, step by step. */
public record ApplyResult(
        String environment,
        String revision,
        Outcome outcome,
        List<Step> steps,
        Duration duration,
        Optional<String> error) {

    public ApplyResult {
        steps = List.copyOf(steps);
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
