package io.terrace.planner;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The planned action on one resource, with what the executor needs to carry it out: the desired
 * resource (absent on delete) and the observed one (absent on create).
 *
 * @param blockedBy why the safety rules refuse this change, or empty when it may be applied;
 *                  a change that depends on a blocked one waits for it (see {@link #waiting()})
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
        Optional<BlockedReason> blockedBy) {

    public Change {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(action, "action");
        attributes = List.copyOf(attributes);
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(blockedBy, "blockedBy");
    }

    public boolean destructive() {
        return action.isDestructive();
    }

    public boolean blocked() {
        return blockedBy.isPresent();
    }

    /** Waits for the maintenance window: planned, applied once it opens, never holding up the rest. */
    public boolean deferred() {
        return blockedBy.filter(BlockedReason::deferred).isPresent();
    }

    /** The blocked reason as plans show it. */
    public Optional<String> blockedReason() {
        return blockedBy.map(BlockedReason::text);
    }

    /** Blocked only because it depends on a blocked change, not by a rule of its own. */
    public boolean waiting() {
        return blockedBy.filter(BlockedReason::waiting).isPresent();
    }

    public Component component() {
        return Address.parse(address).component();
    }
}
