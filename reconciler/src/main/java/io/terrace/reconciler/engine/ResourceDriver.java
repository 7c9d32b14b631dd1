package io.terrace.reconciler.engine;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.util.List;
import java.util.Set;

/**
 * Creates, updates and deletes one kind of resource (Crossplane's managed-resource contract).
 * Every method is idempotent, returns only once the resource is usable by its dependents (or
 * gone), and refuses to modify or delete a resource that lacks Terrace's managed-by and
 * environment tags.
 */
public interface ResourceDriver {

    Set<ResourceType> types();

    /** Creates the resource and returns its live state, including outputs dependents need. */
    ObservedResource create(Resource desired, DriverContext context);

    /** Brings a live resource to the desired attributes; {@code changes} lists what differs. */
    ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context);

    /** Deletes the resource (a database after a final snapshot) and waits until it is gone. */
    void delete(ObservedResource live, DriverContext context);
}
