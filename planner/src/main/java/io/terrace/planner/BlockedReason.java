package io.terrace.planner;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a change may not be applied: a safety rule of its own, or, when {@code waitsFor} is set, the
 * rule that blocks another change it depends on (named by address). Renderers show {@link #text()};
 * code asks {@link #waiting()} rather than reading the text.
 *
 * @param rule     the safety rule that refuses the change (or the change it waits for)
 * @param waitsFor the address of the blocked change this one depends on, if it is not blocked itself
 */
public record BlockedReason(String rule, Optional<String> waitsFor) {

    public BlockedReason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(waitsFor, "waitsFor");
    }

    /** Blocked by a rule of its own. */
    public static BlockedReason rule(String rule) {
        return new BlockedReason(rule, Optional.empty());
    }

    /** Blocked because it depends on {@code root}, which is blocked by a rule. */
    public static BlockedReason waitingFor(String address, BlockedReason root) {
        return new BlockedReason(root.rule(), Optional.of(address));
    }

    public boolean waiting() {
        return waitsFor.isPresent();
    }

    /** The reason as plans show it: the rule, or {@code "waits for <address>: <rule>"}. */
    public String text() {
        return waitsFor.map(a -> "waits for " + a + ": " + rule).orElse(rule);
    }

    @Override
    public String toString() {
        return text();
    }
}
