package io.terrace.reconciler.engine;

import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import java.util.Optional;

/**
 * Why a plan is not applied at all, decided before any AWS call: its spec is invalid, a change is
 * blocked, or the environment is paused. The result's error reads {@code "not applied: <reason>"};
 * callers that word it their own way take {@link #reason()} rather than the message.
 */
public record Refusal(Outcome outcome, String reason) {

    /** The refusal of {@code plan}, or empty when it may be applied. */
    public static Optional<Refusal> of(EnvironmentPlan plan) {
        if (plan.invalid()) {
            return Optional.of(new Refusal(Outcome.INVALID,
                    "the spec is invalid (" + plan.diagnostics().size() + " error(s))"));
        }
        if (!plan.blocked().isEmpty()) {
            Change first = plan.blocked().get(0);
            return Optional.of(new Refusal(Outcome.BLOCKED, plan.blocked().size() + " change(s) blocked, first "
                    + first.address() + ": " + first.blockedReason().orElse("")));
        }
        if (plan.paused()) {
            return Optional.of(new Refusal(Outcome.PAUSED, "paused: " + plan.pausedReason().orElse("")));
        }
        return Optional.empty();
    }

    /** The error of the refused apply. */
    public String message() {
        return "not applied: " + reason;
    }
}
