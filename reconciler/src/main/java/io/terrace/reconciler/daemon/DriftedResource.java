package io.terrace.reconciler.daemon;

import io.terrace.planner.AttributeChange;
import java.util.List;

/**
 * One resource whose live state moved away from the spec it was applied at.
 *
 * @param action what correcting it takes ({@code update}, {@code create} when it was deleted, …)
 */
public record DriftedResource(String address, String component, String type, String action,
                              List<AttributeChange> attributes) {

    public DriftedResource {
        attributes = List.copyOf(attributes);
    }
}
