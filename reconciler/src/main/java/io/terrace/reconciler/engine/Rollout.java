package io.terrace.reconciler.engine;

/**
 * What a driver finds each time it looks at a rollout (a new version of a resource being put in
 * service, such as an ECS deployment): done, still under way, or failed for good. The engine polls
 * it through {@link DriverContext#awaitRollout} and turns a failure or a timeout into a failed step
 * that says why.
 */
public sealed interface Rollout {

    Rollout DONE = new Done();

    /** The new version runs and is healthy. */
    record Done() implements Rollout {}

    /**
     * Still under way.
     *
     * @param progress  where it stands, e.g. "1 of 2 tasks running"
     * @param lastEvent the newest event the service reported about it, or empty
     */
    record InProgress(String progress, String lastEvent) implements Rollout {
        public InProgress {
            lastEvent = lastEvent == null ? "" : lastEvent;
        }
    }

    /** Will not complete, e.g. "deployment rolled back: tasks failed to start". */
    record Failed(String reason) implements Rollout {}
}
