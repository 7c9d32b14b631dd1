package io.terrace.reconciler.engine;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A driver with the rules every kind of resource shares, kept here once (Crossplane's managed
 * reconciler): a create reads first (or takes what its wave read for it, {@link #readAll}) and
 * adopts what an interrupted apply left (when it carries
 * Terrace's tags) or refuses (when it does not), waits for a same-named resource on its way out,
 * and clears a failed one; an update or a delete first checks the live resource is Terrace's.
 */
public final class ManagedDriver {

    private final ResourceDriver driver;

    public ManagedDriver(ResourceDriver driver) {
        this.driver = driver;
    }

    public ObservedResource create(Resource desired, DriverContext context) {
        return create(desired, context, Optional.empty());
    }

    /** The same, with {@code readFirst} in place of the read before the create when the wave made it already. */
    public ObservedResource create(Resource desired, DriverContext context, Optional<LiveRead> readFirst) {
        LiveRead found = readFirst.orElseGet(() -> driver.read(desired, context));
        if (found instanceof LiveRead.Leaving leaving) {
            context.await(leaving.what(), () -> !(driver.read(desired, context) instanceof LiveRead.Leaving));
            found = driver.read(desired, context);
        }
        if (found instanceof LiveRead.Present present) {
            Ownership.requireTakeOver(desired.address(), driver.describe(present.resource()), present.resource().tags());
            return driver.update(desired, present.resource(), List.of(), context);
        }
        if (found instanceof LiveRead.Failed failed) {
            Ownership.requireTakeOver(desired.address(), driver.describe(failed.resource()), failed.resource().tags());
            driver.delete(failed.resource(), context);
        }
        try {
            return driver.create(desired, context);
        } catch (DriverContext.NotReady e) {
            // Created, but it did not become ready (a deployment that never settles): the step fails.
            throw e;
        } catch (RuntimeException e) {
            return adoptAfterFailedCreate(desired, context, e);
        }
    }

    /**
     * A create that fails may have created the resource all the same: its response was lost and
     * the retry was refused as a duplicate ("already exists"), or a later call of the create
     * failed. What the read before the create did not find, and finds now with Terrace's tags of
     * this environment, is adopted as a create that found it would be; anything else rethrows.
     */
    private ObservedResource adoptAfterFailedCreate(Resource desired, DriverContext context, RuntimeException e) {
        LiveRead after;
        try {
            after = driver.read(desired, context);
        } catch (RuntimeException readFailed) {
            e.addSuppressed(readFailed);
            throw e;
        }
        if (after instanceof LiveRead.Present present
                && Ownership.isManagedAt(desired.address(), present.resource().tags())) {
            return driver.update(desired, present.resource(), List.of(), context);
        }
        throw e;
    }

    /** The reads before a wave's creates of this kind, together ({@link ResourceDriver#readAll}). */
    public Map<String, LiveRead> readAll(List<Resource> desired, DriverContext context) {
        return driver.readAll(desired, context);
    }

    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        Ownership.requireManaged(live, driver.updateVerb());
        return driver.update(desired, live, changes, context);
    }

    public void delete(ObservedResource live, DriverContext context) {
        Ownership.requireManaged(live, "delete");
        driver.delete(live, context);
    }
}
