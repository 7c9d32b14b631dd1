package io.terrace.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.ObservedState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftRenderersTest {

    private static List<DriftReport> reports() {
        var drifted = ObservedState.of(DriftDetectorTest.both(
                        DriftDetectorTest.setAttribute("acme/web/service", "desiredCount", 40L),
                        DriftDetectorTest.remove("acme/cdn/distribution")).apply(DriftDetectorTest.applied(DriftDetectorTest.REVISION)).values());
        DriftReport acme = DriftDetectorTest.DETECTOR.detect(DriftDetectorTest.SPEC, DriftDetectorTest.REVISION,
                Optional.empty(), drifted);
        DriftReport pending = DriftDetectorTest.DETECTOR.detect(DriftDetectorTest.SPEC, "9e9e9e9",
                Optional.of("incident 42"), drifted);
        return List.of(acme, pending);
    }

    @Test
    void markdownListsEveryEnvironmentAndTheDriftOfEachDriftedOne() {
        String md = new DriftMarkdownRenderer().render(reports());
        assertTrue(md.startsWith("# Terrace drift report\n\n1 of 2 environments drifted. Checked at 2026-11-26T12:00:00Z.\n"), md);
        assertTrue(md.contains("| `acme` | ⚠️ drifted | `4f3c2b1` | `4f3c2b1` | correct | 2 |  |"), md);
        assertTrue(md.contains("| `acme` | pending changes | `9e9e9e9` | `4f3c2b1` | correct | 0 | PAUSE file: incident 42 |"), md);
        assertTrue(md.contains("Terrace corrects this drift (policy: correct)."), md);
        assertTrue(md.contains("+ acme/cdn/distribution (aws_cloudfront_distribution) missing\n"), md);
        assertTrue(md.contains("~ acme/web/service (aws_ecs_service) changed\n    desiredCount: 40 -> 20\n"), md);
    }

    @Test
    void jsonHasStatusPolicyAndAttributeChanges() throws Exception {
        JsonNode root = new ObjectMapper().readTree(new DriftJsonRenderer().render(reports()));
        JsonNode acme = root.path("environments").get(0);
        assertEquals("drifted", acme.path("status").asText());
        assertEquals("correct", acme.path("policy").asText());
        assertEquals("4f3c2b1", acme.path("appliedRevision").asText());
        assertTrue(acme.path("correct").asBoolean());
        JsonNode web = acme.path("resources").get(1);
        assertEquals("acme/web/service", web.path("address").asText());
        assertEquals("changed", web.path("kind").asText());
        assertEquals(40, web.path("attributes").get(0).path("before").asInt());
        assertEquals(20, web.path("attributes").get(0).path("after").asInt());
        JsonNode pending = root.path("environments").get(1);
        assertEquals("pending", pending.path("status").asText());
        assertEquals("PAUSE file: incident 42", pending.path("pausedReason").asText());
        assertEquals(1, root.path("summary").path("drifted").asInt());
        assertEquals(2, root.path("summary").path("resources").asInt());
    }
}
