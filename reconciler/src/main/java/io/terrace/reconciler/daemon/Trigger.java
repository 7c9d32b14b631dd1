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
     * Argo CD's "Sync": it also corrects drift where the spec says {@code drift: report}. Recorded
     * as {@code manual:<who>}, who being the name of the API token that asked.
     */
    MANUAL,
    /**
     * A manual pass asked with {@code ?now=true}: the maintenance window is not waited for.
     * Recorded as {@code now:<who>}, who being the name of the API token that asked.
     */
    NOW,
    /**
     * The daemon's periodic check of the environment's origin secret ({@code --origin-secret-max-age}):
     * rotated when older than the maximum age. Recorded as {@code rotate-origin-secret}.
     */
    ROTATE_ORIGIN_SECRET;

    /** Who asked, when nobody is named: the API's single token, or an open API. */
    public static final String API = "api";

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * As the history records it: {@code id} for the daemon's own reasons; {@code id:who} for one
     * asked by someone ({@code who} being the names of who asked, joined by {@code +}).
     */
    public String id(java.util.Collection<String> who) {
        if (!manual()) {
            return id();
        }
        return id() + ":" + (who.isEmpty() ? API : String.join("+", who));
    }

    public boolean bypassesBackoff() {
        return this == CHANGE || this == MANUAL || this == NOW;
    }

    /** Asked by someone: corrects drift even under {@code drift: report}. */
    public boolean manual() {
        return this == MANUAL || this == NOW;
    }
}
