package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedResource;

/**
 * Marks an environment as applied at a revision: the executor calls it last, after every step of
 * an apply succeeded, on the resource that carries the environment's revision (the ECS cluster).
 * Drift detection trusts that mark (CONTEXT.md, "Drift").
 */
@FunctionalInterface
public interface RevisionStamp {

    RevisionStamp NONE = (marker, revision, context) -> marker;

    /** Sets {@code terrace:revision} on {@code marker} and returns its new live state. */
    ObservedResource stamp(ObservedResource marker, String revision, DriverContext context);
}
