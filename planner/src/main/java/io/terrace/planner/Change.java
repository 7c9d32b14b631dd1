package io.terrace.planner;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The planned action on one resource, with what the executor needs to carry it out: the desired
 * resource (absent on delete) and the observed one (absent on create).
 *
 * @param blockedReason why the safety rules refuse this change, or empty when it may be applied
 * @param reason        for display only: why this action was chosen
 */
public record Change(
        String address,
        ResourceType type,
        Action action,
        List<AttributeChange> attributes,
        Optional<Resource> desired,
        Optional<ObservedResource> observed,
        String reason,
        Optional<String> blockedReason) {

    public Change {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(action, "action");
        attributes = List.copyOf(attributes);
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(blockedReason, "blockedReason");
    }

    public boolean destructive() {
        return action.isDestructive();
    }

    public boolean blocked() {
        return blockedReason.isPresent();
    }

    public Component component() {
        return Component.of(address.split("/")[1]);
    }
}
