package io.terrace.reconciler.daemon;

import java.util.Locale;

/**
 * Why an environment is reconciled. A new revision, and a pass someone asked for, go ahead even
 * while backing off.
 */
public enum Trigger {
    /** The daemon started, or a commit added, changed or deleted the environment's file or PAUSE. */
    CHANGE,
    /** The periodic drift sweep. */
    SWEEP,
    /** A retry after a failure, once the back-off delay has passed. */
    RETRY,
    /**
     * Someone asked for a pass through the API ({@code POST /api/environments/{name}/sync}), as
     * Argo CD's "Sync": it also corrects drift where the spec says {@code drift: report}.
     */
    MANUAL,
    /**
     * A manual pass asked with {@code ?now=true}: the maintenance window is not waited for.
     * Recorded as {@code now:api}, the API being who asked.
     */
    NOW;

    public String id() {
        return this == NOW ? "now:api" : name().toLowerCase(Locale.ROOT);
    }

    public boolean bypassesBackoff() {
        return this == CHANGE || this == MANUAL || this == NOW;
    }

    /** Asked by someone: corrects drift even under {@code drift: report}. */
    public boolean manual() {
        return this == MANUAL || this == NOW;
    }
}
