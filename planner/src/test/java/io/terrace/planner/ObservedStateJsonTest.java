package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ObservedStateJsonTest {

    @Test
    void emptyObjectIsAnEmptyAccount() throws Exception {
        assertEquals(ObservedState.EMPTY, ObservedStateJson.read("{}", "observed.json"));
        assertEquals(ObservedState.EMPTY, ObservedStateJson.read("{\"resources\":[]}", "observed.json"));
    }

    @Test
    void writtenStateReadsBackAndPlansNoChanges() throws Exception {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        ObservedState live = LiveState.of(DesiredState.compile(acme.build(), "r1"));
        String json = ObservedStateJson.write(live);
        ObservedState read = ObservedStateJson.read(json, "observed.json");

        assertEquals(live.resources().keySet(), read.resources().keySet());
        assertEquals(json, ObservedStateJson.write(read), "writing is deterministic");
        Object count = read.get("acme/web/task").orElseThrow().attributes().get("cpu");
        assertTrue(count instanceof Integer || count instanceof Long, "numbers read back as integers: " + count);
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(
                new SpecSet(List.<SpecResult>of(acme.result()), Optional.empty()), Map.of(), read);
        assertFalse(plan.hasChanges(), () -> new TextPlanRenderer().render(plan));
    }

    @Test
    void theRegionEachEnvironmentWasReadInReadsBackAndReachesThePlan() throws Exception {
        ObservedState live = ObservedStateJson.read("""
                {"resources":[{"address":"gone/assets/bucket","type":"aws_s3_bucket","id":"b",
                  "tags":{"terrace:managed-by":"terrace","terrace:environment":"gone"}}],
                 "regions":{"gone":"us-west-2"}}
                """, "observed.json");

        assertEquals(Map.of("gone", "us-west-2"), live.regions());
        assertEquals(ObservedStateJson.write(live), ObservedStateJson.write(ObservedStateJson.read(
                ObservedStateJson.write(live), "again.json")));
        assertTrue(ObservedStateJson.write(live).contains("\"regions\""), ObservedStateJson.write(live));
        assertFalse(ObservedStateJson.write(ObservedState.EMPTY).contains("regions"), "none written when none known");
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(new SpecSet(List.of(), Optional.empty()), Map.of(), live);
        assertEquals(Optional.of("us-west-2"), plan.environments().get(0).region(), "a deleted spec's environment");
    }

    @Test
    void readsNestedValuesAndLargeNumbers() throws Exception {
        ObservedState s = ObservedStateJson.read("""
                {"resources":[{"address":"acme/cdn/distribution","type":"aws_cloudfront_distribution",
                  "id":"E123","attributes":{"aliases":["a.example","b.example"],"origin":{"ttl":300},
                  "bytes":12345678901,"ratio":0.5,"note":null},"tags":{"terrace:managed-by":"terrace"}}]}
                """, "observed.json");
        var a = s.get("acme/cdn/distribution").orElseThrow().attributes();
        assertEquals(List.of("a.example", "b.example"), a.get("aliases"));
        assertEquals(Map.of("ttl", 300), a.get("origin"));
        assertEquals(12345678901L, a.get("bytes"));
        assertEquals(0.5, a.get("ratio"));
        assertTrue(a.containsKey("note"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        syntax error has a position    | {"resources": [}                                                  | observed.json:1:16: invalid JSON
        top level must be an object    | []                                                                | observed.json: expected a JSON object
        resources must be an array     | {"resources": {}}                                                 | observed.json: resources: expected an array
        address must name a component  | {"resources":[{"address":"acme/nope/x","type":"aws_s3_bucket","id":"b"}]} | observed.json: resources[0].address: "acme/nope/x" is not <environment>/<component>/<resource>
        type must be known             | {"resources":[{"address":"acme/assets/bucket","type":"aws_s4","id":"b"}]} | observed.json: resources[0].type: unknown resource type "aws_s4"
        id is required                 | {"resources":[{"address":"acme/assets/bucket","type":"aws_s3_bucket"}]}   | observed.json: resources[0].id: expected a non-empty string
        tags are strings               | {"resources":[{"address":"acme/assets/bucket","type":"aws_s3_bucket","id":"b","tags":{"x":1}}]} | observed.json: resources[0].tags.x: expected a string
        misspelt keys are refused      | {"resources":[{"address":"acme/assets/bucket","type":"aws_s3_bucket","id":"b","attribute":{}}]} | observed.json: resources[0]: unknown key "attribute"
        duplicate keys are refused     | {"resources":[], "resources":[]}                                  | observed.json:1:29: invalid JSON: Duplicate field 'resources'
        empty document                 | ' '                                                               | observed.json: empty document
        regions are an object          | {"regions":["eu-west-1"]}                                         | observed.json: regions: expected an object of strings
        a region is a name             | {"regions":{"acme":3}}                                            | observed.json: regions.acme: expected a region name
        """)
    void badDocumentsGiveOneLineNamingThePlace(String reason, String json, String expectedStart) {
        var e = assertThrows(InvalidObservedStateException.class, () -> ObservedStateJson.read(json, "observed.json"));
        assertTrue(e.getMessage().startsWith(expectedStart), reason + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void alarmsInAlarmTravelWithTheStateAndOnlyKeepsTheirEnvironments() throws Exception {
        ObservedState s = ObservedState.EMPTY.withAlarms(Map.of("acme", List.of("terrace-acme-db-cpu"),
                "beta", List.of(), "zeta", List.of("terrace-zeta-disk")));
        ObservedState back = ObservedStateJson.read(ObservedStateJson.write(s), "observed.json");
        assertEquals(s, back);
        assertEquals(List.of("terrace-acme-db-cpu"), back.alarms("acme"));
        assertEquals(List.of(), back.alarms("beta"), "an environment with none is not listed");
        assertEquals(Map.of("zeta", List.of("terrace-zeta-disk")), back.only(java.util.Set.of("zeta")).alarms());
        var e = assertThrows(InvalidObservedStateException.class,
                () -> ObservedStateJson.read("{\"alarms\":{\"acme\":\"x\"}}", "observed.json"));
        assertEquals("observed.json: alarms.acme: expected an array of names", e.getMessage());
    }

    @Test
    void duplicateAddressesAreRefused() {
        String r = "{\"address\":\"acme/assets/bucket\",\"type\":\"aws_s3_bucket\",\"id\":\"b\"}";
        var e = assertThrows(InvalidObservedStateException.class,
                () -> ObservedStateJson.read("{\"resources\":[" + r + "," + r + "]}", "o.json"));
        assertEquals("o.json: resources[1].address: acme/assets/bucket appears twice", e.getMessage());
    }
}
