package io.terrace.drift;

import java.util.Locale;

/**
 * How an environment is doing, next to whether it matches its spec (Argo CD's health beside its
 * sync status). Declared from the mildest to the worst: an environment takes the worst of its
 * signals.
 */
public enum Health {
    /** Every resource is there and settled, and no alarm of the environment is in ALARM. */
    HEALTHY,
    /** Something is on its way to healthy: a rollout, a modification, a CDN deployment. */
    PROGRESSING,
    /** A resource the spec wants does not exist (not created yet, or deleted out of band). */
    MISSING,
    /** Something is wrong now: tasks not running, a failed rollout or status, an alarm in ALARM. */
    DEGRADED,
    /** Live state could not be read (an invalid spec, a failed observe, no pass yet). */
    UNKNOWN;

    /** As the API, the metrics and the CLI spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of the two; {@link #UNKNOWN} is never chosen over a known health. */
    Health worst(Health other) {
        if (this == UNKNOWN) {
            return other;
        }
        if (other == UNKNOWN) {
            return this;
        }
        return other.ordinal() > ordinal() ? other : this;
    }
}
