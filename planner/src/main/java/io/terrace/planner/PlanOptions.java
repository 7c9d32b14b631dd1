package io.terrace.planner;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a plan is computed.
 *
 * @param allowDestroy lets a plan delete or replace data-bearing resources of an environment that
 *                     was not decommissioned first ({@code terrace apply --allow-destroy})
 * @param windowsAt    the time maintenance windows are checked at: an environment's disruptive
 *                     changes outside its {@code maintenance.window} are deferred until it opens.
 *                     Empty: windows are not enforced ({@code terrace apply --now}, the API's
 *                     {@code ?now=true}); the planner reads no clock of its own
 */
public record PlanOptions(boolean allowDestroy, Optional<Instant> windowsAt) {
    public static final PlanOptions DEFAULT = new PlanOptions(false);

    public PlanOptions {
        Objects.requireNonNull(windowsAt, "windowsAt");
    }

    public PlanOptions(boolean allowDestroy) {
        this(allowDestroy, Optional.empty());
    }

    /** These options, with maintenance windows checked at {@code now} (empty: not enforced). */
    public PlanOptions at(Optional<Instant> now) {
        return new PlanOptions(allowDestroy, now);
    }
}
