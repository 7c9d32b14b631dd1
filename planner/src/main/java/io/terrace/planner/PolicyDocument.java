package io.terrace.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * An IAM policy document in one canonical JSON spelling, so the desired policy and the one IAM
 * returns compare equal when they mean the same: object keys sorted, a list of strings sorted
 * without repeats, and a list of one string written as that string (IAM accepts both spellings
 * for {@code Action}, {@code Resource}, principals and condition values, and returns either).
 * Lists of statements keep their order.
 */
public final class PolicyDocument {

    public static final String VERSION = "2012-10-17";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocument() {}

    /**
     * The canonical form of a policy as written or as IAM returns it (IAM URL-encodes documents in
     * its answers).
     *
     * @throws IllegalArgumentException when it is not JSON
     */
    public static String canonical(String document) {
        String text = document.trim();
        if (text.startsWith("%")) {
            text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        try {
            return canonical(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON policy document: " + e.getOriginalMessage(), e);
        }
    }

    /** The canonical JSON text of a policy built in code. */
    public static String canonical(JsonNode document) {
        try {
            return JSON.writeValueAsString(canonicalNode(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonicalNode(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) {
                out.set(k, canonicalNode(node.get(k)));
            }
            return out;
        }
        if (node.isArray()) {
            if (allStrings(node)) {
                TreeSet<String> values = new TreeSet<>();
                node.forEach(v -> values.add(v.asText()));
                if (values.size() == 1) {
                    return JsonNodeFactory.instance.textNode(values.first());
                }
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                values.forEach(out::add);
                return out;
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> out.add(canonicalNode(v)));
            return out;
        }
        return node;
    }

    private static boolean allStrings(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            if (!it.next().isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Starts a document: {@code {"Version": "2012-10-17", "Statement": [...]}}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A document statement by statement. */
    public static final class Builder {
        private final ArrayNode statements = JsonNodeFactory.instance.arrayNode();

        private Builder() {}

        /** An {@code Allow} statement of {@code actions} on {@code resources}. */
        public Builder allow(String sid, List<String> actions, List<String> resources) {
            statement(sid, actions, resources);
            return this;
        }

        /** An {@code Allow} statement with one condition {@code operator: {key: value}}. */
        public Builder allowIf(String sid, List<String> actions, List<String> resources, String operator, String key,
                String value) {
            ObjectNode s = statement(sid, actions, resources);
            s.putObject("Condition").putObject(operator).put(key, value);
            return this;
        }

        /**
         * One more condition on the last statement: {@code operator: {key: values}}, a single
         * value written as a string.
         */
        public Builder condition(String operator, String key, List<String> values) {
            ObjectNode s = (ObjectNode) statements.get(statements.size() - 1);
            ObjectNode c = s.has("Condition") ? (ObjectNode) s.get("Condition") : s.putObject("Condition");
            ObjectNode op = c.has(operator) ? (ObjectNode) c.get(operator) : c.putObject(operator);
            if (values.size() == 1) {
                op.put(key, values.get(0));
            } else {
                ArrayNode v = op.putArray(key);
                values.forEach(v::add);
            }
            return this;
        }

        /**
         * The last statement's {@code Principal}: {@code kind} is {@code AWS} or {@code Service}
         * (a resource policy, such as a key policy, names whom it lets in).
         */
        public Builder principal(String kind, List<String> values) {
            ObjectNode s = (ObjectNode) statements.get(statements.size() - 1);
            ArrayNode p = s.putObject("Principal").putArray(kind);
            values.forEach(p::add);
            return this;
        }

        /** The trust statement letting an AWS service assume the role. */
        public Builder trust(String service) {
            ObjectNode s = statements.addObject();
            s.put("Effect", "Allow");
            s.putObject("Principal").put("Service", service);
            s.put("Action", "sts:AssumeRole");
            return this;
        }

        private ObjectNode statement(String sid, List<String> actions, List<String> resources) {
            ObjectNode s = statements.addObject();
            s.put("Sid", sid);
            s.put("Effect", "Allow");
            ArrayNode a = s.putArray("Action");
            actions.forEach(a::add);
            ArrayNode r = s.putArray("Resource");
            resources.forEach(r::add);
            return s;
        }

        /** The canonical JSON text. */
        public String build() {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("Version", VERSION);
            doc.set("Statement", statements);
            return canonical(doc);
        }
    }
}
