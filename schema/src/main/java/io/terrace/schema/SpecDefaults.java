package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fills in every key a spec left out with the {@code default} of its schema: the tier file's
 * default when it has one (business and enterprise default to a larger database class and two
 * search nodes), the base schema's otherwise. Objects default to {@code {}}, so a missing
 * section is filled in key by key.
 */
final class SpecDefaults {

    private SpecDefaults() {}

    /** A copy of {@code spec} with defaults applied for {@code tier}. */
    static ObjectNode apply(Tier tier, ObjectNode spec, TierSchemas schemas) {
        ObjectNode copy = spec.deepCopy();
        fill(copy, List.of(schemas.tierOverlay(tier), schemas.baseDocument()));
        return copy;
    }

    private static void fill(ObjectNode target, List<JsonNode> schemas) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode schema : schemas) {
            schema.path("properties").fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            List<JsonNode> children = schemas.stream().map(s -> s.path("properties").path(name)).toList();
            if (!target.has(name)) {
                children.stream().filter(c -> c.has("default")).findFirst()
                        .ifPresent(c -> target.set(name, c.get("default").deepCopy()));
            }
            if (target.get(name) instanceof ObjectNode child) {
                fill(child, children);
            }
        }
    }
}
