package io.terrace.planner;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One desired AWS resource compiled from a spec.
 *
 * @param address    {@code <environment>/<component>/<resource>}, e.g. {@code acme/web/service}
 * @param name       the deterministic AWS name or identifier (see {@link ResourceNames})
 * @param attributes the managed attributes, as JSON-like values (String, Long/Integer, Boolean,
 *                   List, Map) or an {@link io.terrace.schema.EnvironmentSpec.Range} for a count
 *                   an autoscaler moves within bounds
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
}
