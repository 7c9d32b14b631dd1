package io.terrace.schema;

import java.util.Locale;

/** A customer's plan; each tier has its own JSON Schema under {@code schema/}. */
public enum Tier {
    DEVELOPER, STANDARD, BUSINESS, ENTERPRISE;

    /** The spelling used in spec files and schema file names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
