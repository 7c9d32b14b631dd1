package io.terrace.reconciler.daemon;

import java.util.Locale;

/** Why an environment is reconciled. A new revision goes ahead even while backing off. */
public enum Trigger {
    /** The daemon started, or a commit added, changed or deleted the environment's file or PAUSE. */
    CHANGE,
    /** The periodic drift sweep. */
    SWEEP,
    /** A retry after a failure, once the back-off delay has passed. */
    RETRY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean bypassesBackoff() {
        return this == CHANGE;
    }
}
