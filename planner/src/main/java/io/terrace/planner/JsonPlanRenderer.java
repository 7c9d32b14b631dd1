package io.terrace.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a plan as the JSON document of BRIEF §3 ({@code terrace plan --format json}), with
 * diagnostics and waves added. No-op changes are left out; a range is {@code {"min":…,"max":…}};
 * an absent value (before on create, after on delete) is {@code null}; a value only the apply will
 * know ({@link LiveRef}) is {@code {"knownAfterApply": true, "from": address, "attribute": name}}.
 */
public final class JsonPlanRenderer implements PlanRenderer {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String render(Plan plan) {
        try {
            return MAPPER.writeValueAsString(tree(plan)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan as a JSON tree, for callers that embed it in a larger document. */
    public ObjectNode tree(Plan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode envs = root.putArray("environments");
        for (EnvironmentPlan env : plan.environments()) {
            envs.add(environment(env));
        }
        Plan.Summary s = plan.summary();
        ObjectNode summary = root.putObject("summary");
        summary.put("create", s.create());
        summary.put("update", s.update());
        summary.put("replace", s.replace());
        summary.put("delete", s.delete());
        summary.put("blocked", s.blocked());
        summary.put("invalid", s.invalid());
        return root;
    }

    private ObjectNode environment(EnvironmentPlan env) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", env.name());
        n.put("tier", env.tier().map(Tier::id).orElse(null));
        n.put("stage", env.stage().map(Stage::id).orElse(null));
        n.put("revision", env.revision());
        n.put("paused", env.paused());
        n.put("pausedReason", env.pausedReason().orElse(null));
        n.put("valid", !env.invalid());
        ArrayNode diagnostics = n.putArray("diagnostics");
        for (Diagnostic d : env.diagnostics()) {
            ObjectNode dn = diagnostics.addObject();
            dn.put("file", d.file());
            dn.put("line", d.line());
            dn.put("column", d.column());
            dn.put("message", d.message());
            dn.put("text", d.toString());
        }
        ArrayNode blocked = n.putArray("blocked");
        for (Change c : env.blocked()) {
            ObjectNode bn = blocked.addObject();
            bn.put("address", c.address());
            bn.put("action", c.action().id());
            bn.put("reason", c.blockedReason().orElseThrow());
            bn.put("waiting", c.waiting());
        }
        ArrayNode waves = n.putArray("waves");
        for (List<String> wave : env.waves()) {
            ArrayNode w = waves.addArray();
            wave.forEach(w::add);
        }
        ArrayNode changes = n.putArray("changes");
        for (Change c : env.actions()) {
            changes.add(change(c));
        }
        ArrayNode validations = n.putArray("dnsValidation");
        for (DnsValidation v : DnsValidation.pending(env)) {
            ObjectNode vn = validations.addObject();
            vn.put("certificate", v.certificate());
            vn.put("status", v.status());
            vn.put("record", v.record());
        }
        return n;
    }

    private ObjectNode change(Change c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("address", c.address());
        n.put("type", c.type().id());
        n.put("action", c.action().id());
        n.put("destructive", c.destructive());
        n.put("reason", c.reason());
        n.put("blocked", c.blocked());
        n.put("blockedReason", c.blockedReason().orElse(null));
        ArrayNode attrs = n.putArray("attributes");
        for (AttributeChange a : c.attributes()) {
            ObjectNode an = attrs.addObject();
            an.put("path", a.path());
            an.set("before", value(a.before()));
            an.set("after", value(a.after()));
        }
        return n;
    }

    /** An attribute value as JSON: a range as {@code {"min":…,"max":…}}, numbers normalised. */
    public static JsonNode value(Object v) {
        if (v instanceof Range r) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("min", r.min());
            n.put("max", r.max());
            return n;
        }
        return MAPPER.valueToTree(withUnknowns(AttributeValues.normalise(v)));
    }

    private static Object withUnknowns(Object v) {
        if (v instanceof LiveRef ref) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknown.put("knownAfterApply", true);
            unknown.put("from", ref.address());
            unknown.put("attribute", ref.attribute());
            return unknown;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(k, withUnknowns(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(JsonPlanRenderer::withUnknowns).toList();
        }
        return v;
    }
}
