package io.terrace.schema;

import java.util.Locale;

/** The lifecycle stage of an environment. */
public enum Stage {
    DEVELOPMENT, STAGING, PRODUCTION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Stage of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
