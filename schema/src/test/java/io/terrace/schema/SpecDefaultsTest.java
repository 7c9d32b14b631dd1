package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.schema.EnvironmentSpec.Application;
import io.terrace.schema.EnvironmentSpec.Assets;
import io.terrace.schema.EnvironmentSpec.Cache;
import io.terrace.schema.EnvironmentSpec.Cdn;
import io.terrace.schema.EnvironmentSpec.Database;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.EnvironmentSpec.Sandbox;
import io.terrace.schema.EnvironmentSpec.Search;
import io.terrace.schema.EnvironmentSpec.Web;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every key a spec leaves out takes the default its tier's schema documents (docs/spec-reference.md). */
class SpecDefaultsTest {

    @Test
    void minimalDeveloperSpecGetsEveryDefault() {
        EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("blog-dev.yaml",
                SpecFixtures.yaml(SpecFixtures.minimal("blog-dev", "developer", "development"))));
        EnvironmentSpec expected = new EnvironmentSpec("blog-dev", "acme", Tier.DEVELOPER, Stage.DEVELOPMENT,
                "eu-west-1", Availability.SINGLE_AZ, false, DriftMode.CORRECT, false,
                new Application("registry.example.com/acme/app:1.0.0", new Web(256, 512, 1, 2),
                        new Sandbox(false), new Range(1, 2)),
                new Database("8.0", "db.t4g.medium", new Range(0, 0), false),
                new Cache("cache.t4g.small", 0),
                new Search("OpenSearch_2.13", "t3.small.search", 1),
                new Assets(true),
                new Cdn(true, List.of(), "PriceClass_100", 300),
                Map.of());
        assertEquals(expected, spec);
    }

    @Test
    void businessAndEnterpriseDefaultToTheirSmallestDatabaseAndTwoSearchNodes() {
        for (String tier : List.of("business", "enterprise")) {
            EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme.yaml",
                    SpecFixtures.yaml(SpecFixtures.minimal("acme", tier, "production"))));
            assertEquals("db.r6g.large", spec.database().instanceClass(), tier);
            assertEquals(2, spec.search().nodes(), tier);
        }
    }

    @Test
    void egressDefaultsToNatOnEveryTierAndEndpointsIsKept() {
        for (String tier : List.of("developer", "standard", "business", "enterprise")) {
            String stage = tier.equals("developer") ? "development" : "production";
            EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme.yaml",
                    SpecFixtures.yaml(SpecFixtures.minimal("acme", tier, stage))));
            assertEquals(Egress.NAT, spec.network().egress(), tier);
            EnvironmentSpec endpoints = SpecFixtures.valid(SpecFixtures.load("acme.yaml", SpecFixtures.yaml(
                    SpecFixtures.spec("acme", tier, stage, Map.of("network.egress", "endpoints")))));
            assertEquals(Egress.ENDPOINTS, endpoints.network().egress(), tier);
        }
    }

    @Test
    void partialSectionKeepsWhatIsWrittenAndFillsTheRest() {
        EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme.yaml", SpecFixtures.yaml(
                SpecFixtures.spec("acme", "standard", "production",
                        Map.of("application.web.max", 8, "cdn.pageTtl", 60, "cdn.assetTtl", 604800, "paused", true)))));
        assertEquals(new Web(256, 512, 1, 8), spec.application().web());
        assertEquals(new Cdn(true, List.of(), "PriceClass_100", 60, 604800), spec.cdn());
        assertEquals(true, spec.paused());
    }

    @Test
    void logRetentionDefaultsToTheTierAndTheSpecOverridesIt() {
        for (var e : Map.of("developer", 7, "standard", 30, "business", 90, "enterprise", 365).entrySet()) {
            String stage = e.getKey().equals("developer") ? "development" : "production";
            EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme.yaml",
                    SpecFixtures.yaml(SpecFixtures.minimal("acme", e.getKey(), stage))));
            assertEquals(e.getValue(), spec.logs().retentionDays(), e.getKey());
        }
        EnvironmentSpec spec = SpecFixtures.valid(SpecFixtures.load("acme.yaml", SpecFixtures.yaml(
                SpecFixtures.spec("acme", "developer", "development", Map.of("logs.retentionDays", 60)))));
        assertEquals(60, spec.logs().retentionDays());
    }
}
