package io.terrace.reconciler.aws;

import io.terrace.reconciler.engine.Ownership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Converts tags to and from each SDK's own tag type (every service has one), sorted by key so
 * requests are stable. Which tags to set or remove is {@link TagSync}'s; whether a resource may be
 * touched at all is {@link Ownership}'s.
 */
public final class TerraceTags {

    private TerraceTags() {}

    public static <T> List<T> toSdk(Map<String, String> tags, BiFunction<String, String, T> tag) {
        List<T> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> out.add(tag.apply(k, v)));
        return out;
    }

    public static <T> Map<String, String> fromSdk(Collection<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> out = new TreeMap<>();
        for (T t : tags) {
            out.put(key.apply(t), value.apply(t) == null ? "" : value.apply(t));
        }
        return out;
    }
}
