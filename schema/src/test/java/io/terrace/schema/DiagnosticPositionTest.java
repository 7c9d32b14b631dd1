package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Diagnostics point at the offending node exactly, in the compiler convention file:line:col: message. */
class DiagnosticPositionTest {

    private static final String ACME = """
            apiVersion: terrace/v1
            kind: Environment
            name: acme
            client: acme
            tier: standard
            stage: production
            region: eu-west-1
            application:
              image: registry.example.com/acme/app:1.42.0
              web:
                cpu: 1024
                memory: 2048
                min: 2
                max: 80
                mx: 3
            database:
              readers: { min: 0, max: "1" }
            tags:
              terrace:owner: me
            """;

    @Test
    void pointsAtValuesKeysAndParents() {
        List<String> lines = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", ACME)).stream()
                .map(Diagnostic::toString).toList();
        assertEquals(List.of(
                "environments/acme.yaml:14:10: application.web.max is 80; tier standard allows at most 10",
                "environments/acme.yaml:15:5: unknown key 'mx' in application.web; did you mean 'max'?",
                "environments/acme.yaml:17:27: database.readers.max must be an integer, not a string ('1')"),
                lines);
    }

    @Test
    void rulesCheckedInCodeArePositionedToo() {
        String yaml = ACME.replace("max: 80", "max: 8").replace("    mx: 3\n", "")
                .replace("max: \"1\"", "max: 1").replace("name: acme", "name: acme-prod");
        List<String> lines = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", yaml)).stream()
                .map(Diagnostic::toString).toList();
        assertEquals(List.of(
                "environments/acme.yaml:3:7: name is 'acme-prod' but the file is environments/acme.yaml; "
                        + "the file name must equal name (acme-prod.yaml)",
                "environments/acme.yaml:18:3: tag key 'terrace:owner' uses the reserved prefix 'terrace:'; "
                        + "tag keys may not start with terrace: or aws:"),
                lines);
    }

    @Test
    void unknownEgressPointsAtItsValue() {
        String yaml = ACME.replace("max: 80", "max: 8").replace("    mx: 3\n", "")
                .replace("max: \"1\"", "max: 1").replace("tags:\n  terrace:owner: me\n", "network:\n  egress: none\n");
        List<String> lines = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", yaml)).stream()
                .map(Diagnostic::toString).toList();
        assertEquals(List.of("environments/acme.yaml:18:11: network.egress is 'none'; allowed: nat, endpoints"), lines);
    }

    @Test
    void apmIsABooleanOffByDefault() {
        assertEquals(false, SpecFixtures.valid(SpecFixtures.load("acme.yaml", valid())).application().apm());
        String on = valid().replace("  image: registry.example.com/acme/app:1.42.0\n",
                "  image: registry.example.com/acme/app:1.42.0\n  apm: true\n");
        assertEquals(true, SpecFixtures.valid(SpecFixtures.load("acme.yaml", on)).application().apm());
        assertEquals(List.of("environments/acme.yaml:10:8: application.apm must be a boolean, not a string ('true')"),
                lines(on.replace("apm: true", "apm: \"true\"")));
    }

    /** The valid version of {@link #ACME}, for tests that break one thing at a time. */
    private static String valid() {
        return ACME.replace("max: 80", "max: 8").replace("    mx: 3\n", "").replace("max: \"1\"", "max: 1")
                .replace("tags:\n  terrace:owner: me\n", "");
    }

    private static List<String> lines(String yaml) {
        return SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", yaml)).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misspeltValuesGetASuggestion() {
        assertEquals(List.of("environments/acme.yaml:5:7: tier is 'standrad'; allowed: developer, standard, business, "
                + "enterprise; did you mean 'standard'?"), lines(valid().replace("tier: standard", "tier: standrad")));
        assertEquals(List.of("environments/acme.yaml:6:8: stage is 'prodution'; allowed: development, staging, "
                + "production; did you mean 'production'?"), lines(valid().replace("stage: production", "stage: prodution")));
        assertEquals(List.of("environments/acme.yaml:8:15: availability is 'multi-za'; allowed: single-az, "
                + "multi-az; did you mean 'multi-az'?"),
                lines(valid().replace("region: eu-west-1", "region: eu-west-1\navailability: multi-za")));
        assertEquals(List.of("environments/acme.yaml:8:8: drift is 'reprot'; allowed: correct, report; "
                + "did you mean 'report'?"), lines(valid().replace("region: eu-west-1", "region: eu-west-1\ndrift: reprot")));
        assertEquals(List.of("environments/acme.yaml:18:15: cdn.priceClass is 'PriceClass_10'; allowed: PriceClass_100, "
                + "PriceClass_200, PriceClass_All; did you mean 'PriceClass_100'?"),
                lines(valid() + "cdn:\n  priceClass: PriceClass_10\n"));
    }

    @Test
    void aValueFarFromEveryChoiceGetsNoSuggestion() {
        assertEquals(List.of("environments/acme.yaml:8:8: drift is 'ignore'; allowed: correct, report"),
                lines(valid().replace("region: eu-west-1", "region: eu-west-1\ndrift: ignore")));
    }

    @Test
    void misspeltRequiredKeyIsOneError() {
        assertEquals(List.of("environments/acme.yaml:4:1: unknown key 'clinet' at the top level; did you mean 'client'?"),
                lines(valid().replace("client: acme", "clinet: acme")));
        assertEquals(List.of("environments/acme.yaml:9:3: unknown key 'imgae' in application; did you mean 'image'?"),
                lines(valid().replace("  image:", "  imgae:")));
    }

    @Test
    void missingKeyPointsAtItsParent() {
        String yaml = ACME.replace("  image: registry.example.com/acme/app:1.42.0\n", "")
                .replace("max: 80", "max: 8").replace("    mx: 3\n", "").replace("max: \"1\"", "max: 1");
        assertEquals(List.of("environments/acme.yaml:8:1: missing required key 'image' in application"),
                SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", yaml)).stream().map(Diagnostic::toString).toList());
    }

    @Test
    void defaultThatBreaksMultiAzIsBlamedOnAvailability() {
        String yaml = ACME.replace("tier: standard", "tier: business").replace("max: 80", "max: 8")
                .replace("    mx: 3\n", "").replace("max: \"1\"", "max: 1").replace("name: acme", "name: acme")
                .replace("availability", "").replace("region: eu-west-1", "region: eu-west-1\navailability: multi-az")
                .replace("readers: { min: 0, max: 1 }", "instanceClass: db.r6g.large\n  readers: { min: 1, max: 1 }")
                .replace("  terrace:owner: me\n", "  owner: me\n");
        assertEquals(List.of("environments/acme.yaml:8:15: cache.replicas is 0 (default); availability multi-az "
                        + "needs redundant servers in separate zones: at least 1 replica"),
                SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", yaml)).stream().map(Diagnostic::toString).toList());
    }
}
