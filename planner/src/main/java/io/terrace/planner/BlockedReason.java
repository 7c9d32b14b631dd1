package io.terrace.planner;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
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
public record BlockedReason(String rule, Optional<String> waitsFor, Optional<Instant> windowOpens) {

    /** The rule of a disruptive change that waits for the environment's maintenance window. */
    public static final String MAINTENANCE_WINDOW = "waits for maintenance window (next: %s)";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public BlockedReason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(waitsFor, "waitsFor");
        Objects.requireNonNull(windowOpens, "windowOpens");
    }

    public BlockedReason(String rule, Optional<String> waitsFor) {
        this(rule, waitsFor, Optional.empty());
    }

    /**
     * Deferred, not refused: a disruptive change outside the maintenance window, applied once the
     * window opens at {@code opens}; the rest of the plan applies meanwhile.
     */
    public static BlockedReason maintenanceWindow(Instant opens) {
        return new BlockedReason(MAINTENANCE_WINDOW.formatted(WHEN.format(opens)), Optional.empty(), Optional.of(opens));
    }

    /** Waits for the maintenance window (itself, or a change it depends on): deferred, not refused. */
    public boolean deferred() {
        return windowOpens.isPresent();
    }

    /** Blocked by a rule of its own. */
    public static BlockedReason rule(String rule) {
        return new BlockedReason(rule, Optional.empty());
    }

    /** Blocked because it depends on {@code root}, which is blocked by a rule. */
    public static BlockedReason waitingFor(String address, BlockedReason root) {
        return new BlockedReason(root.rule(), Optional.of(address), root.windowOpens());
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
