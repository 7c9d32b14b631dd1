package io.terrace.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.drift.DriftReport.DriftedResource;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.JsonPlanRenderer;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Drift reports as JSON, for {@code <data>/reports/*.json}, {@code /api/drift} and
 * {@code terrace drift --format json}:
 * {@code {"environments":[{"environment","revision","appliedRevision","status","policy","paused",
 * "pausedReason","checkedAt","resources":[{"address","type","kind","attributes":[{"path","before",
 * "after"}]}]}],"summary":{"environments","drifted","resources"}}}. Before is live, after desired.
 */
public final class DriftJsonRenderer {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String render(List<DriftReport> reports) {
        try {
            return MAPPER.writeValueAsString(tree(reports)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode tree(List<DriftReport> reports) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode envs = root.putArray("environments");
        int drifted = 0;
        int resources = 0;
        for (DriftReport r : reports) {
            envs.add(environment(r));
            drifted += r.drifted() ? 1 : 0;
            resources += r.resources().size();
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("environments", reports.size());
        summary.put("drifted", drifted);
        summary.put("resources", resources);
        return root;
    }

    /** One environment's report as a JSON object. */
    public ObjectNode environment(DriftReport r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("environment", r.environment());
        n.put("revision", r.revision());
        n.put("appliedRevision", r.appliedRevision().orElse(null));
        n.put("status", r.status().id());
        n.put("drifted", r.drifted());
        n.put("policy", r.policy().id());
        n.put("paused", r.pausedReason().isPresent());
        n.put("pausedReason", r.pausedReason().orElse(null));
        n.put("correct", r.correct());
        n.put("checkedAt", r.checkedAt().toString());
        ArrayNode resources = n.putArray("resources");
        for (DriftedResource d : r.resources()) {
            ObjectNode dn = resources.addObject();
            dn.put("address", d.address());
            dn.put("type", d.type().id());
            dn.put("kind", d.kind().id());
            ArrayNode attrs = dn.putArray("attributes");
            for (AttributeChange a : d.attributes()) {
                ObjectNode an = attrs.addObject();
                an.put("path", a.path());
                an.set("before", JsonPlanRenderer.value(a.before()));
                an.set("after", JsonPlanRenderer.value(a.after()));
            }
        }
        return n;
    }
}
