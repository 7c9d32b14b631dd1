package io.terrace.planner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A desired value that is a live attribute of another resource of the same environment, such as
 * the Aurora writer endpoint a container is told: the value read at {@code address} under
 * {@code attribute}, followed by {@code suffix}. The planner resolves it from observed state and
 * shows it as {@code (known after apply)} while the resource does not exist yet or is being
 * replaced; the executor resolves it again, just before the step, from the live state the earlier
 * waves left.
 *
 * <p>A reference may sit anywhere in an attribute value (inside a map of environment variables,
 * say). {@link #resolve} replaces every reference it can and leaves the others in place.
 */
public record LiveRef(String address, String attribute, String suffix) {

    /** How plans show a value that only the apply will know. */
    public static final String KNOWN_AFTER_APPLY = "(known after apply)";

    public LiveRef {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(suffix, "suffix");
    }

    public static LiveRef to(String address, String attribute) {
        return new LiveRef(address, attribute, "");
    }

    /** The reference's value in {@code live}, if the resource is there and has the attribute. */
    public Optional<String> valueIn(Function<String, Optional<ObservedResource>> live) {
        return live.apply(address)
                .map(o -> o.attributes().get(attribute))
                .map(v -> String.valueOf(AttributeValues.normalise(v)) + suffix);
    }

    /** Every reference inside {@code value}. */
    public static Set<LiveRef> refsIn(Object value) {
        Set<LiveRef> out = new LinkedHashSet<>();
        collect(value, out);
        return out;
    }

    /** The addresses every reference inside {@code value} points at. */
    public static Set<String> addressesIn(Object value) {
        Set<String> out = new LinkedHashSet<>();
        refsIn(value).forEach(r -> out.add(r.address()));
        return out;
    }

    /** True when {@code value} holds a reference somewhere: its value is not known yet. */
    public static boolean isUnknown(Object value) {
        return !addressesIn(value).isEmpty();
    }

    /**
     * {@code value} with each reference {@code live} can answer replaced by its value; the others
     * stay references.
     */
    public static Object resolve(Object value, Function<String, Optional<ObservedResource>> live) {
        if (value instanceof LiveRef ref) {
            return ref.valueIn(live).<Object>map(v -> v).orElse(ref);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, resolve(v, live)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(resolve(v, live)));
            return out;
        }
        return value;
    }

    /** {@code value} with the entries of its maps whose value is still a reference left out. */
    public static Object withoutUnknownEntries(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!(v instanceof LiveRef)) {
                    out.put(k, withoutUnknownEntries(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(withoutUnknownEntries(v)));
            return out;
        }
        return value;
    }

    private static void collect(Object value, Set<LiveRef> out) {
        if (value instanceof LiveRef ref) {
            out.add(ref);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, out));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }
}
