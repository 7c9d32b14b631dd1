package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedResource;

/**
 * What a driver's read found under a resource's name (Crossplane's {@code ExternalObservation}):
 * nothing, the resource, the resource on its way out (an ECS service draining, a replication group
 * deleting), or a resource that failed to be created and can only be deleted.
 */
public sealed interface LiveRead {

    LiveRead ABSENT = new Absent();

    /** Nothing by that name: the name is free. */
    record Absent() implements LiveRead {}

    /** The resource exists and can be adopted, if it is Terrace's. */
    record Present(ObservedResource resource) implements LiveRead {}

    /** Being deleted: the name is free once it is gone. {@code what} names it for the wait. */
    record Leaving(String what) implements LiveRead {}

    /** Left by a create that failed (a rolled-back stack): it must be deleted before the name is free. */
    record Failed(ObservedResource resource) implements LiveRead {}
}
