package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Terrace's tags on the data services: converts them to and from each SDK's tag type, works out
 * which tags an update must set or remove, and guards every modification: a resource that lacks
 * the managed-by and environment tags is never touched.
 */
final class TerraceTags {

    private static final String PREFIX = "terrace:";

    private TerraceTags() {}

    /** Throws unless {@code live} carries Terrace's managed-by tag and its own environment tag. */
    static void requireManaged(ObservedResource live, String action) {
        requireManaged(live.address(), live.id(), live.tags(), action);
    }

    /** Same check for a resource met before it was observed, e.g. one a create collided with. */
    static void requireManaged(String address, String id, Map<String, String> tags, String action) {
        String env = address.substring(0, address.indexOf('/'));
        if (!"terrace".equals(tags.get(ObservedResource.MANAGED_BY))
                || !env.equals(tags.get(ObservedResource.ENVIRONMENT))) {
            throw new IllegalStateException(address + ": refusing to " + action + " " + id
                    + ": it lacks the tags " + ObservedResource.MANAGED_BY + "=terrace and "
                    + ObservedResource.ENVIRONMENT + "=" + env + ", so Terrace does not own it");
        }
    }

    static <T> List<T> toSdk(Map<String, String> tags, BiFunction<String, String, T> tag) {
        List<T> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> out.add(tag.apply(k, v)));
        return out;
    }

    static <T> Map<String, String> fromSdk(Collection<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> out = new TreeMap<>();
        for (T t : tags) {
            out.put(key.apply(t), value.apply(t) == null ? "" : value.apply(t));
        }
        return out;
    }

    /** Desired tags whose live value is missing or different. */
    static Map<String, String> toSet(Map<String, String> live, Map<String, String> desired) {
        Map<String, String> out = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!v.equals(live.get(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Live {@code terrace:*} tags the desired set no longer has (e.g. the decommission mark). Other
     * tags are left alone: Terrace cannot tell a spec tag removed from one someone else added.
     */
    static List<String> toRemove(Map<String, String> live, Map<String, String> desired) {
        return live.keySet().stream().filter(k -> k.startsWith(PREFIX) && !desired.containsKey(k)).sorted().toList();
    }
}
