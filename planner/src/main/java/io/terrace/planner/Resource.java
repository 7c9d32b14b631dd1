package io.terrace.planner;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One desired AWS resource compiled from a spec.
 *
 * @param address    {@code <environment>/<component>/<resource>}, e.g. {@code acme/web/service}
 * @param name       the deterministic AWS name or identifier (see {@link ResourceNames})
 * @param attributes the managed attributes, as JSON-like values (String, Long/Integer, Boolean,
 *                   List, Map) or an {@link io.terrace.schema.EnvironmentSpec.Range} for a count
 *                   an autoscaler moves within bounds; a value may hold {@link LiveRef}s to other
 *                   resources' live attributes
 * @param tags       every tag Terrace sets, {@code terrace:*} included
 * @param dependsOn  addresses that must be applied first
 */
public record Resource(
        String address,
        ResourceType type,
        Component component,
        String name,
        Map<String, Object> attributes,
        Map<String, String> tags,
        Set<String> dependsOn) {

    public Resource {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(name, "name");
        attributes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
        tags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
        dependsOn = Set.copyOf(dependsOn);
    }

    public String environment() {
        return Address.environmentOf(address);
    }

    /** The addresses of the resources whose live attributes this one's attributes refer to. */
    public Set<String> referencedAddresses() {
        Set<String> out = new LinkedHashSet<>();
        attributes.values().forEach(v -> out.addAll(LiveRef.addressesIn(v)));
        return out;
    }

    /** This resource with every {@link LiveRef} {@code live} can answer replaced by its value. */
    public Resource resolved(Function<String, Optional<ObservedResource>> live) {
        if (referencedAddresses().isEmpty()) {
            return this;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, LiveRef.resolve(v, live)));
        return new Resource(address, type, component, name, out, tags, dependsOn);
    }

    /**
     * This resource as a driver receives it: every reference resolved from {@code live}. A
     * reference to a resource it depends on must resolve (that resource was applied in an earlier
     * wave), else this fails; one to a resource applied later (a dependency would be a cycle, as
     * for the CDN domain the web containers are told) is left out of its map until the next pass.
     *
     * @throws IllegalStateException when a dependency has no value for a reference
     */
    public Resource resolvedForApply(Function<String, Optional<ObservedResource>> live) {
        Resource r = resolved(live);
        for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
            for (String ref : LiveRef.addressesIn(e.getValue())) {
                if (dependsOn.contains(ref)) {
                    throw new IllegalStateException(address + ": " + e.getKey() + " refers to " + ref
                            + ", which has no live value for it");
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        r.attributes().forEach((k, v) -> out.put(k, LiveRef.withoutUnknownEntries(v)));
        return new Resource(address, type, component, name, out, tags, dependsOn);
    }
}
