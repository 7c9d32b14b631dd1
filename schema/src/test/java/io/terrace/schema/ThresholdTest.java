package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The code's table of thresholds and the schema's list of them are the same, and every default is allowed. */
class ThresholdTest {

    private static JsonNode schemaThresholds() {
        return TierSchemas.get().baseDocument().path("properties").path("monitoring").path("properties")
                .path("thresholds").path("properties");
    }

    @Test
    void schemaListsExactlyTheThresholdsOfTheTable() {
        Set<String> schema = new TreeSet<>();
        schemaThresholds().fieldNames().forEachRemaining(schema::add);
        Set<String> table = Arrays.stream(Threshold.values()).map(Threshold::key)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(table, schema);
    }

    @Test
    void everyTierDefaultIsWithinTheSchemaLimits() {
        for (Threshold t : Threshold.values()) {
            JsonNode rule = schemaThresholds().path(t.key());
            for (Tier tier : Tier.values()) {
                double d = t.defaultFor(tier);
                assertTrue(d >= rule.path("minimum").asDouble() && d <= rule.path("maximum").asDouble(),
                        t.key() + " default " + d + " for " + tier.id() + " is outside the schema limits");
                if ("integer".equals(rule.path("type").asText())) {
                    assertEquals(Math.rint(d), d, t.key() + " is an integer threshold");
                }
            }
        }
    }

    @Test
    void aSpecWithoutMonitoringGetsItsTiersDefaultsAndASetThresholdWins() {
        String yaml = SpecFixtures.yaml(SpecFixtures.spec("acme-test", "business", "production",
                java.util.Map.of("monitoring.thresholds.webCpuPercent", 65,
                        "monitoring.alerts", java.util.List.of("ops@acme.example"))));
        EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme-test.yaml", yaml));
        assertEquals(65.0, spec.monitoring().threshold(Threshold.WEB_CPU_PERCENT));
        assertEquals(Threshold.DATABASE_CONNECTIONS.defaultFor(Tier.BUSINESS),
                spec.monitoring().threshold(Threshold.DATABASE_CONNECTIONS));
        assertEquals(java.util.List.of("ops@acme.example"), spec.monitoring().alerts());
    }
}
