package io.terrace.planner;

/** What a plan does to one resource. */
public enum Action {
    CREATE("+", "create"),
    UPDATE("~", "update in-place"),
    REPLACE("-/+", "replace"),
    DELETE("-", "destroy"),
    NO_OP(" ", "no changes");

    private final String symbol;
    private final String verb;

    Action(String symbol, String verb) {
        this.symbol = symbol;
        this.verb = verb;
    }

    /** Loses the live resource (and its data, for data-bearing components). */
    public boolean isDestructive() {
        return this == REPLACE || this == DELETE;
    }

    public String symbol() {
        return symbol;
    }

    public String verb() {
        return verb;
    }

    /** Lower-case name used in JSON plans. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
