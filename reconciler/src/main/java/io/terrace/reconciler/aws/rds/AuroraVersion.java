package io.terrace.reconciler.aws.rds;

import java.util.Map;

/**
 * Aurora MySQL versions: the spec names a MySQL major version ("8.0"); AWS wants a concrete
 * Aurora engine version. Terrace creates clusters at a pinned version of the matching Aurora line
 * and reports the live version back as its major, so automatic minor upgrades are never drift.
 */
public final class AuroraVersion {

    /** The Aurora MySQL release a new cluster of each major version starts at. */
    private static final Map<String, String> CONCRETE = Map.of(
            "8.0", "8.0.mysql_aurora.3.08.2",
            "5.7", "5.7.mysql_aurora.2.12.4");

    private AuroraVersion() {}

    public static String concrete(String major) {
        String v = CONCRETE.get(major);
        if (v == null) {
            throw new IllegalArgumentException("no Aurora MySQL release known for MySQL " + major
                    + " (known: " + String.join(", ", CONCRETE.keySet().stream().sorted().toList()) + ")");
        }
        return v;
    }

    /** {@code 8.0.mysql_aurora.3.08.2} → {@code 8.0}; anything else → its first two components. */
    public static String major(String engineVersion) {
        int aurora = engineVersion.indexOf(".mysql_aurora.");
        if (aurora > 0) {
            return engineVersion.substring(0, aurora);
        }
        String[] parts = engineVersion.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : engineVersion;
    }
}
