package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenderersTest {

    /** acme: one update, one blocked replace; beta: invalid; gamma: new and paused; old: file deleted. */
    private static Plan mixedPlan() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState live = LiveState.of(DesiredState.compile(acme.build(), "r1"));
        live = LiveState.change(live, "acme/web/service", r -> LiveState.withAttribute(r, "desiredCount", 9L));
        live = LiveState.change(live, "acme/search/domain", r -> LiveState.withAttribute(r, "instanceCount", 3));
        live = LiveState.plus(live, LiveState.of(DesiredState.compile(SpecFixture.env("old").build(), "r0")));
        SpecSet specs = new SpecSet(List.of(acme.result(),
                new SpecResult.Invalid("beta", "environments/beta.yaml",
                        List.of(new Diagnostic("environments/beta.yaml", 4, 3, "unknown key \"tachion\""))),
                SpecFixture.env("gamma").with(f -> f.paused = true).result()), Optional.empty());
        return new Planner(PlanOptions.DEFAULT).plan(specs, Map.of("acme", "1a2b3c4"), live);
    }

    @Test
    void textPlanReadsLikeTerraform() {
        String text = new TextPlanRenderer().render(mixedPlan());
        assertTrue(text.contains("Environment acme (standard, staging) at revision 1a2b3c4\n"), text);
        assertTrue(text.contains("  ~ update acme/web/service (aws_ecs_service)\n      desiredCount: 9 -> 4\n"), text);
        assertTrue(text.contains("  ~ update acme/search/domain (aws_opensearch_domain)\n      instanceCount: 3 -> 1\n"), text);
        assertTrue(text.contains("  + create gamma/network/stack (aws_cloudformation_stack)\n"
                + "      accessLogs: \"gamma/alb\"\n"
                + "      deletionProtection: false\n"
                + "      dropInvalidHeaderFields: true\n"
                + "      egress: \"nat\"\n"
                + "      https: true\n"
                + "      originSecretPolicy: \"restricted\"\n"
                + "      templateRevision: " + DesiredState.NETWORK_TEMPLATE_REVISION + "\n      zones: 1\n"), text);
        assertTrue(text.contains("  # paused: paused: true in spec (planned, not applied)\n"), text);
        assertTrue(text.contains("  error: environments/beta.yaml:4:3: unknown key \"tachion\"\n"), text);
        assertTrue(text.contains("  - destroy old/network/stack (aws_cloudformation_stack)\n      ! blocked: the environment file was deleted"), text);
        int envs = DesiredState.compile(SpecFixture.env("gamma").build(), "x").size();
        assertTrue(text.contains("Plan: " + envs + " to create, 2 to update, 0 to replace, " + envs + " to delete.\n"), text);
        assertFalse(text.contains("tags.terrace:"), "Terrace's own tags are not repeated on every create");
    }

    @Test
    void markdownCommentHasMarkerCommitTableErrorsAndDetails() {
        // Room for every detail: the two whole environments created and deleted here (each IAM and
        // key policy in full) come to about 70,000 characters; cutting is tested below.
        String md = new MarkdownPlanRenderer("0123abcd", 100_000).render(mixedPlan());
        assertTrue(md.startsWith("<!-- terrace:plan -->\n"), md);
        assertTrue(md.contains("Head commit: `0123abcd`"), md);
        assertTrue(md.contains("| environment | tier | stage | create | update | replace | delete | blocked | destructive | paused |"));
        assertTrue(md.contains("| `acme` | standard | staging | 0 | 2 | 0 | 0 | 0 | 0 |  |"), md);
        assertTrue(md.contains("| `beta` ❌ invalid | — | — |"), md);
        assertTrue(md.contains("- `environments/beta.yaml:4:3: unknown key \"tachion\"`"), md);
        assertTrue(md.contains("<details><summary><code>acme</code>: 0 to create, 2 to update"), md);
        assertTrue(md.contains("```diff\n~ update acme/search/domain (aws_opensearch_domain)\n    instanceCount: 3 -> 1\n"
                + "~ update acme/web/service (aws_ecs_service)\n    desiredCount: 9 -> 4\n```\n"), md);
        assertTrue(md.contains("| paused: true in spec |"), md);
        assertFalse(md.contains("were cut"), "nothing cut when it fits");
    }

    @Test
    void longMarkdownCommentsLoseDetailsButNeverSummaryRows() {
        List<SpecResult> results = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            results.add(SpecFixture.env(String.format("client%02d", i)).result());
        }
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(new SpecSet(results, Optional.empty()), Map.of(),
                ObservedState.EMPTY);
        String full = new MarkdownPlanRenderer("c0ffee", Integer.MAX_VALUE).render(plan);
        assertTrue(full.length() > 65_536, "the fixture must be too long to post whole: " + full.length());

        String md = new MarkdownPlanRenderer("c0ffee").render(plan);
        assertTrue(md.length() < MarkdownPlanRenderer.MAX_LENGTH, "length " + md.length());
        for (int i = 0; i < 80; i++) {
            assertTrue(md.contains(String.format("| `client%02d` | standard |", i)), "row " + i);
        }
        long shown = md.lines().filter(l -> l.startsWith("<details>")).count();
        assertTrue(shown > 0 && shown < 80, "some details shown: " + shown);
        assertTrue(md.contains("the details of " + (80 - shown) + " environments were cut to keep this comment under 65,536 characters"), md);
    }

    @Test
    void rowsAreFoldedOnlyWhenTheTableAloneWouldNotFit() {
        List<SpecResult> results = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // 150 rows of ~64 characters: more than 8,000
            results.add(SpecFixture.env(String.format("client%03d", i)).result());
        }
        SpecFixture unchanged = SpecFixture.env("steady");
        results.add(unchanged.result());
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(new SpecSet(results, Optional.empty()), Map.of(),
                LiveState.of(DesiredState.compile(unchanged.build(), "r1")));
        String md = new MarkdownPlanRenderer("c0ffee", 8_000).render(plan);
        assertTrue(md.length() < 8_000, "length " + md.length());
        assertTrue(md.contains("| … 1 environments without changes |"), md);
        assertTrue(md.contains("more environments with changes |"), md);
        assertTrue(md.startsWith(MarkdownPlanRenderer.MARKER), md);
        assertTrue(md.contains("| `client000` |"), md);
    }

    @Test
    void jsonPlanHasTheFieldsOfTheBrief() throws Exception {
        JsonNode root = new ObjectMapper().readTree(new JsonPlanRenderer().render(mixedPlan()));
        JsonNode acme = root.path("environments").get(0);
        assertEquals("acme", acme.path("name").asText());
        assertEquals("standard", acme.path("tier").asText());
        assertEquals("staging", acme.path("stage").asText());
        assertEquals("1a2b3c4", acme.path("revision").asText());
        assertFalse(acme.path("paused").asBoolean());
        JsonNode change = acme.path("changes").get(0);
        assertEquals("acme/search/domain", change.path("address").asText());
        assertEquals("aws_opensearch_domain", change.path("type").asText());
        assertEquals("update", change.path("action").asText());
        assertFalse(change.path("destructive").asBoolean());
        JsonNode attr = change.path("attributes").get(0);
        assertEquals("instanceCount", attr.path("path").asText());
        assertEquals(3, attr.path("before").asInt());
        assertEquals(1, attr.path("after").asInt());
        assertEquals(List.of("acme/search/domain", "acme/web/service"),
                List.of(acme.path("waves").get(0).get(0).asText(), acme.path("waves").get(1).get(0).asText()));

        JsonNode beta = root.path("environments").get(1);
        assertFalse(beta.path("valid").asBoolean());
        assertEquals("environments/beta.yaml", beta.path("diagnostics").get(0).path("file").asText());
        assertEquals(4, beta.path("diagnostics").get(0).path("line").asInt());

        JsonNode gamma = root.path("environments").get(2);
        assertTrue(gamma.path("paused").asBoolean());
        JsonNode web = findChange(gamma, "gamma/web/service");
        assertEquals(1, web.path("attributes").findValue("after").isNull() ? -1 : 1);
        JsonNode count = null;
        for (JsonNode a : web.path("attributes")) {
            if (a.path("path").asText().equals("desiredCount")) {
                count = a.path("after");
            }
        }
        assertEquals(1, count.path("min").asInt());
        assertEquals(4, count.path("max").asInt());

        JsonNode old = root.path("environments").get(3);
        assertTrue(old.path("tier").isNull());
        assertTrue(old.path("blocked").size() > 0);
        assertEquals("delete", old.path("changes").get(0).path("action").asText());
        assertTrue(old.path("changes").get(0).path("destructive").asBoolean());

        JsonNode summary = root.path("summary");
        assertEquals(2, summary.path("update").asInt());
        assertEquals(old.path("blocked").size(), summary.path("blocked").asInt());
        for (String k : List.of("create", "update", "replace", "delete", "blocked")) {
            assertTrue(summary.has(k), k);
        }
    }

    private static JsonNode findChange(JsonNode env, String address) {
        for (JsonNode c : env.path("changes")) {
            if (c.path("address").asText().equals(address)) {
                return c;
            }
        }
        throw new AssertionError("no change " + address);
    }
}
