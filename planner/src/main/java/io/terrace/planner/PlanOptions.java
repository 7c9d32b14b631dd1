package io.terrace.planner;

/**
 * How a plan is computed.
 *
 * @param allowDestroy lets a plan delete or replace data-bearing resources of an environment that
 *                     was not decommissioned first ({@code terrace apply --allow-destroy})
 */
public record PlanOptions(boolean allowDestroy) {
    public static final PlanOptions DEFAULT = new PlanOptions(false);
}
