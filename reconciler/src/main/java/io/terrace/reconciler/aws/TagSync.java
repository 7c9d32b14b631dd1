package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import io.terrace.schema.SpecTagKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What to tag and untag to bring live tags to the desired ones. Removed are Terrace's own keys
 * ({@code terrace:*}) it no longer wants and the spec tags the spec has dropped, which the live
 * {@code terrace:tags} record names ({@link SpecTagKeys#dropped}); tags added by people or other
 * tools are not in that record and stay. {@code terrace:revision} is never removed: it is metadata
 * the executor owns on the cluster.
 */
public record TagSync(Map<String, String> set, List<String> remove) {

    public static TagSync between(Map<String, String> live, Map<String, String> desired) {
        Map<String, String> set = new LinkedHashMap<>();
        desired.forEach((k, v) -> {
            if (!v.equals(live.get(k))) {
                set.put(k, v);
            }
        });
        List<String> remove = Stream.concat(
                        live.keySet().stream()
                                .filter(k -> k.startsWith("terrace:") && !desired.containsKey(k))
                                .filter(k -> !k.equals(ObservedResource.REVISION)),
                        SpecTagKeys.dropped(live, desired).stream())
                .sorted()
                .toList();
        return new TagSync(set, remove);
    }

    /** Desired tags without the revision: for resources whose revision tag the executor owns. */
    public static Map<String, String> withoutRevision(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.remove(ObservedResource.REVISION);
        return out;
    }

    /**
     * Sends what differs through a service's own calls: {@code tag} with the tags to set, then
     * {@code untag} with the keys to remove, each only when there is something to send.
     */
    public void send(Consumer<Map<String, String>> tag, Consumer<List<String>> untag) {
        if (!set.isEmpty()) {
            tag.accept(set);
        }
        if (!remove.isEmpty()) {
            untag.accept(remove);
        }
    }

    public boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }
}
