package io.terrace.planner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes {@link ObservedState} as the JSON document {@code terrace observe} prints and
 * {@code terrace plan --observed} reads:
 *
 * <pre>{"resources":[{"address":"acme/web/service","type":"aws_ecs_service","id":"arn:…",
 *   "attributes":{"desiredCount":3,…},"tags":{"terrace:managed-by":"terrace",…}}],
 *  "regions":{"acme":"eu-west-1"},"alarms":{"acme":["terrace-acme-db-cpu"]}}</pre>
 *
 * <p>{@code {}} is an empty account. {@code regions}, optional, names the region each environment
 * was read in (the planner puts it on the environment's plan). {@code alarms}, optional, names the
 * alarms that were in ALARM per environment (a health signal). Integral numbers read back as {@code Integer} or
 * {@code Long}; the diff compares numbers by value, so they equal the desired {@code int}s. Writing
 * is deterministic (resources by address, keys sorted) so documents can be diffed and fingerprinted.
 */
public final class ObservedStateJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final Pattern ADDRESS = Pattern.compile("[a-z0-9][a-z0-9-]*/[a-z]+/[a-z0-9][a-z0-9-]*");
    private static final Set<String> RESOURCE_KEYS = Set.of("address", "type", "id", "attributes", "tags");

    private ObservedStateJson() {}

    public static ObservedState read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** @param source how error messages name the document (usually its file name) */
    public static ObservedState read(String json, String source) throws InvalidObservedStateException {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(json)) {
            root = MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new InvalidObservedStateException(where + ": invalid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidObservedStateException(source + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidObservedStateException(source + ": empty document (an empty account is {})");
        }
        if (!root.isObject()) {
            throw new InvalidObservedStateException(source + ": expected a JSON object {\"resources\":[...]}");
        }
        Map<String, String> regions = regions(root.path("regions"), source);
        Map<String, List<String>> alarms = alarms(root.path("alarms"), source);
        JsonNode resources = root.path("resources");
        if (resources.isMissingNode() || resources.isNull()) {
            return ObservedState.EMPTY.inRegions(regions).withAlarms(alarms);
        }
        if (!resources.isArray()) {
            throw new InvalidObservedStateException(source + ": resources: expected an array");
        }
        List<ObservedResource> out = new ArrayList<>(resources.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            ObservedResource r = resource(resources.get(i), source + ": resources[" + i + "]");
            if (!seen.add(r.address())) {
                throw new InvalidObservedStateException(source + ": resources[" + i + "].address: "
                        + r.address() + " appears twice");
            }
            out.add(r);
        }
        return ObservedState.of(out).inRegions(regions).withAlarms(alarms);
    }

    private static Map<String, List<String>> alarms(JsonNode n, String source) throws InvalidObservedStateException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidObservedStateException(source + ": alarms: expected an object of arrays of names");
        }
        for (var it = n.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().isArray()) {
                throw new InvalidObservedStateException(source + ": alarms." + e.getKey() + ": expected an array of names");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode name : e.getValue()) {
                if (!name.isTextual()) {
                    throw new InvalidObservedStateException(source + ": alarms." + e.getKey() + ": expected names");
                }
                names.add(name.asText());
            }
            out.put(e.getKey(), names);
        }
        return out;
    }

    /** The optional {@code regions} object: the region each environment was read in. */
    private static Map<String, String> regions(JsonNode n, String source) throws InvalidObservedStateException {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidObservedStateException(source + ": regions: expected an object of strings");
        }
        for (var it = n.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                throw new InvalidObservedStateException(source + ": regions." + e.getKey() + ": expected a region name");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static ObservedResource resource(JsonNode n, String where) throws InvalidObservedStateException {
        if (!n.isObject()) {
            throw new InvalidObservedStateException(where + ": expected an object");
        }
        for (var it = n.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!RESOURCE_KEYS.contains(key)) {
                throw new InvalidObservedStateException(where + ": unknown key \"" + key
                        + "\" (allowed: address, type, id, attributes, tags)");
            }
        }
        String address = text(n, "address", where);
        if (!ADDRESS.matcher(address).matches() || !isAddress(address)) {
            throw new InvalidObservedStateException(where + ".address: \"" + address
                    + "\" is not <environment>/<component>/<resource> with a known component");
        }
        String typeId = text(n, "type", where);
        ResourceType type;
        try {
            type = ResourceType.ofId(typeId);
        } catch (IllegalArgumentException e) {
            throw new InvalidObservedStateException(where + ".type: unknown resource type \"" + typeId + "\"");
        }
        String id = text(n, "id", where);
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode attrs = n.path("attributes");
        if (!attrs.isMissingNode() && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw new InvalidObservedStateException(where + ".attributes: expected an object");
            }
            attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), value(e.getValue())));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagNode = n.path("tags");
        if (!tagNode.isMissingNode() && !tagNode.isNull()) {
            if (!tagNode.isObject()) {
                throw new InvalidObservedStateException(where + ".tags: expected an object of strings");
            }
            for (var it = tagNode.fields(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new InvalidObservedStateException(where + ".tags." + e.getKey() + ": expected a string");
                }
                tags.put(e.getKey(), e.getValue().asText());
            }
        }
        return new ObservedResource(address, type, id, attributes, tags);
    }

    private static boolean isAddress(String text) {
        try {
            Address.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode n, String key, String where) throws InvalidObservedStateException {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidObservedStateException(where + "." + key + ": expected a non-empty string");
        }
        return v.asText();
    }

    /** JSON to plain Java: Integer or Long, Double, Boolean, String, List, Map, null. */
    private static Object value(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.isBigDecimal() ? n.decimalValue() : n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            n.forEach(e -> list.add(value(e)));
            return list;
        }
        if (n.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
            return map;
        }
        return null;
    }

    /** The document, deterministic: resources by address, attribute and tag keys sorted. */
    public static String write(ObservedState state) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode resources = root.putArray("resources");
        state.resources().values().stream().sorted(Comparator.comparing(ObservedResource::address)).forEach(r -> {
            ObjectNode n = resources.addObject();
            n.put("address", r.address());
            n.put("type", r.type().id());
            n.put("id", r.id());
            ObjectNode attrs = n.putObject("attributes");
            r.attributes().forEach((k, v) -> attrs.set(k, JsonPlanRenderer.value(v)));
            ObjectNode tags = n.putObject("tags");
            r.tags().forEach(tags::put);
        });
        if (!state.alarms().isEmpty()) {
            ObjectNode alarms = root.putObject("alarms");
            state.alarms().forEach((env, names) -> {
                ArrayNode list = alarms.putArray(env);
                names.forEach(list::add);
            });
        }
        if (!state.regions().isEmpty()) {
            ObjectNode regions = root.putObject("regions");
            new java.util.TreeMap<>(state.regions()).forEach(regions::put);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(ObservedState state, Path file) throws IOException {
        Files.writeString(file, write(state), StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
