package io.terrace.schema;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where each node of a spec file came from: the 1-based line and column of every value and of
 * every mapping key, keyed by JSON Pointer ({@code /application/web/max}). Diagnostics use it to
 * point at the offending node; a path with no node of its own (a missing key, a default) falls
 * back to its nearest ancestor that has one.
 */
public final class SourceMap {

    /** A 1-based line and column in a file. */
    public record Position(int line, int column) {}

    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Position> keys = new HashMap<>();
    private final Set<String> floats = new TreeSet<>();

    void putValue(String pointer, Position position) {
        values.putIfAbsent(pointer, position);
    }

    void putKey(String pointer, Position position) {
        keys.putIfAbsent(pointer, position);
    }

    void putFloat(String pointer) {
        floats.add(pointer);
    }

    /** Pointers of values written as YAML floats ({@code 2.0}); spec v1 has no fractional fields. */
    public Set<String> floats() {
        return Collections.unmodifiableSet(floats);
    }

    /** Whether the file itself holds a node at this path (as opposed to a default). */
    public boolean has(String pointer) {
        return values.containsKey(pointer);
    }

    /** The position of the value at {@code pointer}, or of its nearest ancestor present in the file. */
    public Position value(String pointer) {
        for (String p = pointer; ; p = parent(p)) {
            Position pos = p.equals(pointer) ? values.get(p) : keyOrValue(p);
            if (pos != null) {
                return pos;
            }
            if (p.isEmpty()) {
                return new Position(1, 1);
            }
        }
    }

    /**
     * The position of the key that introduces {@code pointer} (for unknown or duplicate keys and
     * for problems with a whole mapping), falling back like {@link #value}.
     */
    public Position key(String pointer) {
        Position pos = keys.get(pointer);
        return pos != null ? pos : value(pointer);
    }

    private Position keyOrValue(String pointer) {
        Position pos = keys.get(pointer);
        return pos != null ? pos : values.get(pointer);
    }

    static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    /** Appends one property name or array index to a JSON Pointer, escaping as RFC 6901 says. */
    public static String child(String pointer, Object element) {
        String name = String.valueOf(element).replace("~", "~0").replace("/", "~1");
        return pointer + "/" + name;
    }

    /** Builds a JSON Pointer from its elements. */
    public static String pointer(List<?> elements) {
        String p = "";
        for (Object e : elements) {
            p = child(p, e);
        }
        return p;
    }

    /**
     * The dotted path users read in messages: {@code /application/web/max} becomes
     * {@code application.web.max}, {@code /cdn/aliases/0} becomes {@code cdn.aliases[0]}.
     */
    public static String dotted(String pointer) {
        if (pointer.isEmpty()) {
            return "the document";
        }
        StringBuilder out = new StringBuilder();
        for (String raw : pointer.substring(1).split("/", -1)) {
            String name = Excerpt.bare(raw.replace("~1", "/").replace("~0", "~"));
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && out.length() > 0) {
                out.append('[').append(name).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(name);
            }
        }
        return out.toString();
    }
}
