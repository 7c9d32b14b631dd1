package io.terrace.reconciler.engine;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, creates, updates and deletes one kind of resource in one region (Crossplane's
 * {@code ExternalClient}): a driver is built with the clients of its region and speaks only its
 * service. What is the same for every kind — read before a create and adopt or refuse what is
 * there, check Terrace's ownership before every update and delete, wait for a resource on its way
 * out — is {@link ManagedDriver}'s, which the step runner calls. Every method is idempotent and
 * returns only once the resource is usable by its dependents (or gone).
 */
public interface ResourceDriver {

    ResourceType type();

    /** What is live under the desired resource's AWS name right now. */
    LiveRead read(Resource desired, DriverContext context);

    /**
     * What is live under each of {@code desired}'s names, by address: the reads before the
     * creates of one wave, all of this kind, made together. One {@link #read} each by default; a
     * kind whose service reads many names in one call overrides it.
     */
    default Map<String, LiveRead> readAll(List<Resource> desired, DriverContext context) {
        Map<String, LiveRead> out = new LinkedHashMap<>();
        desired.forEach(r -> out.put(r.address(), read(r, context)));
        return out;
    }

    /** Creates the resource, known to be absent, and returns its live state with the outputs dependents need. */
    ObservedResource create(Resource desired, DriverContext context);

    /**
     * Brings a live resource, known to be Terrace's, to the desired attributes; {@code changes}
     * lists what the plan found different, and is empty when an earlier create is adopted.
     */
    ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context);

    /** Deletes a resource known to be Terrace's (a database after a final snapshot) and waits until it is gone. */
    void delete(ObservedResource live, DriverContext context);

    /** The verb a refused update names, as in "refusing to modify ...". */
    default String updateVerb() {
        return "modify";
    }

    /** The resource as a refusal to take it over names it. */
    default String describe(ObservedResource live) {
        return live.type().id() + " " + live.id();
    }
}
