package io.terrace.reconciler.engine;

import io.terrace.planner.Action;

/**
 * Hears each step of an apply start and end, as it happens: {@code terrace apply} prints them
 * ({@code Creating...}, {@code Creation complete after 12s}). Steps of one wave run in parallel,
 * so a listener is called from several threads; it must be quick and must not throw.
 */
public interface StepListener {

    /** Hears nothing. */
    StepListener NONE = new StepListener() {};

    /** A driver starts carrying out the change at {@code address}. */
    default void started(String address, Action action) {}

    /** The step has ended: succeeded or failed, after its attempts. */
    default void finished(ApplyResult.Step step) {}
}
