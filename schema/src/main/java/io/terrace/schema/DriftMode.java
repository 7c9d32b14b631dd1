package io.terrace.schema;

import java.util.Locale;

/** What the reconciler does about drift: correct it (default) or only report it. */
public enum DriftMode {
    CORRECT, REPORT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DriftMode of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
