package io.terrace.reconciler.daemon;

import java.util.Locale;

/** The one-word state of an environment, as the API and dashboard show it. */
public enum Condition {
    /** Not reconciled since the daemon started. */
    PENDING,
    /** Live state matches the spec at its current revision. */
    SYNCED,
    /** Changes are pending and were not applied (blocked, or stopped by shutdown). */
    OUT_OF_SYNC,
    /** Live state moved away from an applied spec, and {@code drift: report} leaves it so. */
    DRIFTED,
    /** A PAUSE file or {@code paused: true}: planned, never applied. */
    PAUSED,
    /** The last attempt failed; it is retried with exponential back-off. */
    FAILED,
    /** The spec does not validate: nothing is applied until it is fixed. */
    INVALID;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
