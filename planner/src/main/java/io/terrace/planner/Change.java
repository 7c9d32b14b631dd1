package io.terrace.planner;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The planned action on one resource, with what the executor needs to carry it out: the desired
 * resource (absent on delete) and the observed one (absent on create).
 *
 * @param blockedReason why the safety rules refuse this change, or empty when it may be applied;
 *                      a change that depends on a blocked one reads {@code "waits for <address>:
 *                      <reason>"} (see {@link #waiting()})
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

    /**
     * Blocked only because it depends on a blocked change (its reason reads
     * {@code "waits for <address>: <why that one is blocked>"}), not by a rule of its own.
     */
    public boolean waiting() {
        return blockedReason.filter(r -> r.startsWith(WaveOrder.WAITS_FOR)).isPresent();
    }

    public Component component() {
        return Component.of(address.split("/")[1]);
    }
}
