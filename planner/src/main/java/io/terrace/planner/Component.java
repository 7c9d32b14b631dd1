package io.terrace.planner;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts every environment is built of (BRIEF §1), with the dependency edges between them.
 * Creation follows these edges; deletion runs in reverse.
 */
public enum Component {
    NETWORK(false),
    ASSETS(true),
    CLUSTER(false),
    DATABASE(true),
    CACHE(false),
    SEARCH(true),
    WEB(false),
    SANDBOX(false),
    CAVALCADE(false),
    TACHYON(false),
    CDN(false),
    /** The environment's alert topic and its CloudWatch alarms. */
    MONITORING(false);

    private final boolean dataBearing;

    Component(boolean dataBearing) {
        this.dataBearing = dataBearing;
    }

    /** Holds customer data: never deleted or replaced by an ordinary plan. */
    public boolean isDataBearing() {
        return dataBearing;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Component of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The components that must exist before this one. */
    public Set<Component> dependsOn() {
        return switch (this) {
            case NETWORK, ASSETS -> EnumSet.noneOf(Component.class);
            case CLUSTER, DATABASE, CACHE, SEARCH -> EnumSet.of(NETWORK);
            case WEB, SANDBOX, CAVALCADE -> EnumSet.of(NETWORK, CLUSTER, DATABASE, CACHE, SEARCH);
            case TACHYON -> EnumSet.of(NETWORK, CLUSTER, DATABASE, CACHE, SEARCH, ASSETS);
            case CDN -> EnumSet.of(NETWORK, WEB, TACHYON);
            case MONITORING -> EnumSet.of(NETWORK);
        };
    }
}
