package io.terrace.reconciler.engine;

import io.terrace.planner.EnvironmentPlan;

/**
 * Carries out one environment's plan wave by wave. Never throws for AWS failures: they are
 * reported in the {@link ApplyResult}, and dependents of a failed step are skipped.
 */
public interface Executor {

    ApplyResult apply(EnvironmentPlan plan, StopSignal stop);

    /** Applies the plan and tells {@code steps} of each step as it starts and ends. */
    default ApplyResult apply(EnvironmentPlan plan, StopSignal stop, StepListener steps) {
        return apply(plan, stop);
    }

    /**
     * Whether a successful apply of {@code plan} leaves values for the next pass (and so does not
     * stamp the revision): the daemon then asks for that pass at once. None by default.
     */
    default boolean leavesValuesForNextPass(EnvironmentPlan plan) {
        return false;
    }
}
