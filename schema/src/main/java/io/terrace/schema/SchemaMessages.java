package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Rewrites the JSON Schema validator's generic messages into positioned sentences that name the
 * field by its dotted path, the rule and what is allowed:
 * {@code application.web.max is 80; tier standard allows at most 10}.
 */
final class SchemaMessages {

    private final String file;
    private final SourceMap positions;
    private final TierSchemas schemas;

    SchemaMessages(String file, SourceMap positions, TierSchemas schemas) {
        this.file = file;
        this.positions = positions;
        this.schemas = schemas;
    }

    /** One diagnostic per problem, in file order; a wrong type hides other complaints about the same node. */
    List<Diagnostic> rewrite(List<ValidationMessage> messages) {
        Set<String> wrongType = new HashSet<>();
        for (ValidationMessage m : messages) {
            if ("type".equals(m.getType())) {
                wrongType.add(pointer(m.getInstanceLocation()));
            }
        }
        Set<String> misspelt = misspeltKeys(messages);
        Set<String> notAChoice = new HashSet<>();
        for (ValidationMessage m : messages) {
            if ("enum".equals(m.getType()) && TierSchemas.tierOf(m.getSchemaLocation()).isEmpty()) {
                notAChoice.add(pointer(m.getInstanceLocation()));
            }
        }
        Set<Diagnostic> out = new LinkedHashSet<>();
        for (ValidationMessage m : messages) {
            String pointer = pointer(m.getInstanceLocation());
            if (!"type".equals(m.getType()) && wrongType.contains(pointer)) {
                continue;
            }
            if ("required".equals(m.getType()) && misspelt.contains(SourceMap.child(pointer, m.getProperty()))) {
                continue; // the unknown key's "did you mean" already says it
            }
            if (isEnum(m) && TierSchemas.tierOf(m.getSchemaLocation()).isPresent() && notAChoice.contains(pointer)) {
                continue; // a value that is no choice at all is one mistake, not also one the tier refuses
            }
            out.add(diagnostic(m, pointer));
        }
        List<Diagnostic> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        return sorted;
    }

    /** Pointers of keys the schema does not know: nothing under them was validated. */
    static Set<String> unknownKeys(List<ValidationMessage> messages) {
        Set<String> unknown = new HashSet<>();
        for (ValidationMessage m : messages) {
            if ("additionalProperties".equals(m.getType())) {
                unknown.add(SourceMap.child(pointer(m.getInstanceLocation()), m.getProperty()));
            }
        }
        return unknown;
    }

    private static boolean isEnum(ValidationMessage m) {
        return "enum".equals(m.getType()) || "const".equals(m.getType());
    }

    /**
     * Pointers of the keys that unknown keys are suggested for: a misspelt required key is one
     * mistake, reported once as an unknown key with its suggestion, not again as a missing key.
     */
    private Set<String> misspeltKeys(List<ValidationMessage> messages) {
        Set<String> suggested = new HashSet<>();
        for (ValidationMessage m : messages) {
            if ("additionalProperties".equals(m.getType())) {
                String parent = pointer(m.getInstanceLocation());
                suggestion(m).ifPresent(k -> suggested.add(SourceMap.child(parent, k)));
            }
        }
        return suggested;
    }

    private Optional<String> suggestion(ValidationMessage unknownKey) {
        return NearestKey.of(unknownKey.getProperty(), allowedKeys(unknownKey));
    }

    private List<String> allowedKeys(ValidationMessage unknownKey) {
        JsonNode properties = schemas.schemaObject(unknownKey.getSchemaLocation()).path("properties");
        List<String> allowed = new ArrayList<>();
        properties.fieldNames().forEachRemaining(allowed::add);
        return allowed;
    }

    static String pointer(JsonNodePath path) {
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return SourceMap.pointer(elements);
    }

    private Diagnostic diagnostic(ValidationMessage m, String pointer) {
        String path = SourceMap.dotted(pointer);
        Optional<Tier> tier = TierSchemas.tierOf(m.getSchemaLocation());
        String allows = tier.map(t -> "tier " + t.id() + " allows ").orElse("allowed: ");
        JsonNode value = m.getInstanceNode();
        JsonNode rule = m.getSchemaNode();
        return switch (m.getType()) {
            case "additionalProperties" -> unknownKey(m, pointer);
            case "required" -> at(positions.key(pointer), "missing required key '" + m.getProperty() + "'"
                    + (pointer.isEmpty() ? "" : " in " + path));
            case "type" -> at(positions.value(pointer), wrongType(path, rule.asText(), value));
            case "maximum" -> at(positions.value(pointer), path + " is " + show(value) + "; "
                    + tier.map(t -> "tier " + t.id() + " allows at most ").orElse("at most ")
                    + rule.asText() + tier.map(t -> "").orElse(" allowed"));
            case "minimum" -> at(positions.value(pointer), path + " is " + show(value) + "; "
                    + tier.map(t -> "tier " + t.id() + " requires at least ").orElse("must be at least ")
                    + rule.asText());
            case "enum", "const" -> at(positions.value(pointer), notAllowed(pointer, path, value, rule, tier));
            case "pattern" -> at(positions.value(pointer), path + " is " + show(value) + "; expected "
                    + description(m).orElse("a value matching " + rule.asText()));
            case "maxItems" -> at(positions.value(pointer), path + " has " + value.size() + " entries; "
                    + allows + "at most " + rule.asText());
            case "minItems" -> at(positions.value(pointer), path + " has " + value.size() + " entries; "
                    + "at least " + rule.asText() + " required");
            case "maxLength" -> at(positions.value(pointer), path + " is " + value.asText().length()
                    + " characters long; at most " + rule.asText() + " allowed");
            case "minLength" -> at(positions.value(pointer), path + " is " + value.asText().length()
                    + " characters long; at least " + rule.asText() + " required");
            case "maxProperties" -> at(positions.value(pointer), path + " has " + value.size() + " entries; "
                    + "at most " + rule.asText() + " allowed");
            case "uniqueItems" -> duplicateItem(pointer, path, value);
            default -> at(positions.value(pointer), path + ": " + stripPointer(m.getMessage()));
        };
    }

    private Diagnostic unknownKey(ValidationMessage m, String parent) {
        String key = m.getProperty();
        String where = parent.isEmpty() ? "at the top level" : "in " + SourceMap.dotted(parent);
        List<String> allowed = allowedKeys(m);
        String hint = suggestion(m).map(k -> "; did you mean '" + k + "'?")
                .orElse(allowed.isEmpty() ? "" : "; allowed keys: " + String.join(", ", allowed));
        return at(positions.key(SourceMap.child(parent, key)), "unknown key " + Excerpt.quote(key) + " " + where + hint);
    }

    private static String wrongType(String path, String expected, JsonNode value) {
        String noun = switch (expected) {
            case "object" -> "mapping";
            case "array" -> "list";
            default -> expected;
        };
        String article = noun.equals("integer") ? "an " : "a ";
        String message = path + " must be " + article + noun + ", not " + describe(value);
        if (expected.equals("string") && value.isValueNode() && !value.isNull()) {
            message += value.asText().length() <= Excerpt.MAX ? "; quote it: \"" + value.asText() + "\"" : "; quote it";
        } else if (expected.equals("integer") && value.isNumber()) {
            message += "; sizes and counts are whole numbers";
        }
        return message;
    }

    private static String notAllowed(String pointer, String path, JsonNode value, JsonNode rule, Optional<Tier> tier) {
        List<String> choices = StreamSupport.stream(rule.spliterator(), false).map(JsonNode::asText).toList();
        if (rule.isValueNode()) {
            choices = List.of(rule.asText());
        }
        String base = path + " is " + show(value) + "; ";
        String hint = value.isTextual() ? NearestKey.of(value.asText(), choices)
                .filter(c -> !c.equals(value.asText())).map(c -> "; did you mean '" + c + "'?").orElse("") : "";
        return allowedChoices(pointer, base, choices, tier) + hint;
    }

    private static String allowedChoices(String pointer, String base, List<String> choices, Optional<Tier> tier) {
        if (tier.isPresent()) {
            String t = "tier " + tier.get().id();
            switch (pointer) {
                case "/database/proxy" -> {
                    return base + t + " has no database proxy (business and enterprise have)";
                }
                case "/cdn/enabled" -> {
                    return base + t + " always has the CDN; only enterprise may turn it off";
                }
                default -> {
                    return base + t + (choices.size() == 1 ? " allows only " + choices.get(0)
                            : " allows " + String.join(", ", choices));
                }
            }
        }
        return base + (choices.size() == 1 ? "must be " + choices.get(0) : "allowed: " + String.join(", ", choices));
    }

    private Diagnostic duplicateItem(String pointer, String path, JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            if (!seen.add(array.get(i))) {
                return at(positions.value(SourceMap.child(pointer, i)),
                        path + " lists " + show(array.get(i)) + " more than once");
            }
        }
        return at(positions.value(pointer), path + " has duplicate entries");
    }

    private Optional<String> description(ValidationMessage m) {
        JsonNode d = schemas.schemaObject(m.getSchemaLocation()).path("description");
        return d.isTextual() ? Optional.of(d.asText()) : Optional.empty();
    }

    /** How a value reads inside a message: strings quoted, everything else as written. */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        if (value.isTextual()) {
            return Excerpt.quote(value.asText());
        }
        if (value.isContainerNode()) {
            return value.isArray() ? "a list" : "a mapping";
        }
        return value.isNull() ? "empty" : value.asText();
    }

    private static String describe(JsonNode value) {
        if (value.isNull()) {
            return "empty (null)";
        }
        if (value.isTextual()) {
            return "a string (" + show(value) + ")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        if (value.isIntegralNumber()) {
            return "an integer (" + value.asText() + ")";
        }
        if (value.isNumber()) {
            return "a number (" + value.asText() + ")";
        }
        return value.isArray() ? "a list" : "a mapping";
    }

    private static String stripPointer(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    private Diagnostic at(SourceMap.Position p, String message) {
        return new Diagnostic(file, p.line(), p.column(), message);
    }
}
