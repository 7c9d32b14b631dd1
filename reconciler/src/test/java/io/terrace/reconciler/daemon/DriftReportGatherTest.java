package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cluster's drift report: every node's share, gathered into one with the shape of a single daemon's. */
class DriftReportGatherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachEnvironmentComesFromTheNewestReportThatHasIt() throws Exception {
        String nodeA = """
                {"generatedAt": "2026-12-06T10:00:00Z", "commit": "aaa",
                 "environments": [{"environment": "acme", "drifted": true, "resources": [{}, {}]},
                                  {"environment": "moved", "drifted": true, "resources": [{}]}],
                 "summary": {"environments": 2, "drifted": 2, "resources": 3},
                 "invalid": [{"environment": "broken", "diagnostics": ["x"]}]}""";
        String nodeB = """
                {"generatedAt": "2026-12-06T10:05:00Z", "commit": "bbb",
                 "environments": [{"environment": "moved", "drifted": false, "resources": []},
                                  {"environment": "broken", "drifted": false, "resources": []}],
                 "summary": {"environments": 2, "drifted": 0, "resources": 0},
                 "invalid": []}""";

        JsonNode gathered = JSON.readTree(DriftReportFiles.gather(List.of(nodeA, nodeB)).orElseThrow());

        assertEquals("2026-12-06T10:05:00Z", gathered.path("generatedAt").asText());
        assertEquals("bbb", gathered.path("commit").asText());
        assertEquals(List.of("acme", "broken", "moved"),
                gathered.path("environments").findValuesAsText("environment"));
        assertEquals(JSON.readTree("{\"environments\": 3, \"drifted\": 1, \"resources\": 2}"), gathered.path("summary"));
        assertEquals(0, gathered.path("invalid").size(), "broken's newer report checked it");
    }

    @Test
    void oneReportIsShownAsItIsAndNoneIsNone() {
        assertEquals(Optional.of("{}"), DriftReportFiles.gather(List.of("{}")));
        assertEquals(Optional.empty(), DriftReportFiles.gather(List.of()));
    }
}
