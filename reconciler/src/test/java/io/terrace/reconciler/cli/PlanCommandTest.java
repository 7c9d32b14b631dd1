package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.SpecRepo.standardSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import io.terrace.planner.Resource;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code terrace plan} as a user runs it: the plan on stdout (and a saved plan with --out), exit 0 / 2 / 1. */
class PlanCommandTest {

    @TempDir
    Path dir;

    @Test
    void exampleSpecsAgainstAnEmptyAccountCreateEveryComponentOfEveryEnvironment() throws IOException {
        Path specs = SpecRepo.examples();
        CliRun run = run("plan", "--repo", specs.toString(), "--observed", "{}", "--format", "json");
        assertEquals(2, run.exit(), run.err());
        JsonNode plan = new ObjectMapper().readTree(run.out());

        SpecSet set = SpecRepository.load(specs);
        assertEquals(set.results().size(), plan.path("environments").size());
        for (SpecResult r : set.results()) {
            var spec = ((SpecResult.Valid) r).spec();
            Set<String> expected = new TreeSet<>();
            DesiredState.compile(spec, "x").forEach(res -> expected.add(res.component().id()));
            JsonNode env = environment(plan, spec.name());
            Set<String> created = new TreeSet<>();
            for (JsonNode c : env.path("changes")) {
                assertEquals("create", c.path("action").asText(), c.toString());
                created.add(c.path("address").asText().split("/")[1]);
            }
            assertEquals(expected, created, spec.name());
            assertTrue(created.containsAll(List.of("network", "cluster", "web", "cavalcade", "tachyon", "database",
                    "cache", "search", "assets")), spec.name() + ": " + created);
        }
        assertEquals(0, plan.path("summary").path("delete").asInt());
    }

    @Test
    void liveStateEqualToTheSpecIsNoChangesAndExitsZero() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        Path observed = dir.resolve("observed.json");
        ObservedStateJson.write(applied("acme"), observed);
        CliRun run = run("plan", "--repo", repo(), "--observed", observed.toString());
        assertEquals(new CliRun(0, """
                Environment acme (standard, production) at revision unknown
                  No changes.

                Plan: 0 to create, 0 to update, 0 to replace, 0 to delete.
                """, ""), run);
    }

    @Test
    void textPlanShowsAttributeChangesAndExitsTwo() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        Path observed = dir.resolve("observed.json");
        ObservedState live = applied("acme");
        ObservedResource web = live.get("acme/web/service").orElseThrow();
        Map<String, Object> attrs = new HashMap<>(web.attributes());
        attrs.put("desiredCount", 9);
        Map<String, ObservedResource> changed = new HashMap<>(live.resources());
        changed.put(web.address(), new ObservedResource(web.address(), web.type(), web.id(), attrs, web.tags()));
        ObservedStateJson.write(new ObservedState(changed), observed);
        CliRun run = run("plan", "--repo", repo(), "--observed", observed.toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.out().contains("  ~ update acme/web/service (aws_ecs_service)\n      desiredCount: 9 -> 4\n"), run.out());
        assertTrue(run.out().endsWith("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.\n"), run.out());
    }

    @Test
    void invalidSpecIsAnErrorButTheOthersAreStillPlanned() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 80));
        write("environments/globex.yaml", standardSpec("globex", 4));
        CliRun run = run("plan", "--repo", repo(), "--observed", "{}");
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("  error: environments/acme.yaml:11:10: application.web.max is 80; "
                + "tier standard allows at most 10\n"), run.out());
        assertTrue(run.out().contains("  + create globex/network/stack"), run.out());
    }

    @Test
    void envOptionNarrowsThePlan() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        write("environments/globex.yaml", standardSpec("globex", 4));
        CliRun run = run("plan", "--repo", repo(), "--observed", "{}", "--env", "globex");
        assertEquals(2, run.exit(), run.err());
        assertFalse(run.out().contains("Environment acme"), run.out());
        assertTrue(run.out().contains("Environment globex"), run.out());

        CliRun unknown = run("plan", "--repo", repo(), "--observed", "{}", "--env", "nope");
        assertEquals(new CliRun(1, "", "terrace plan: no environment named nope (no file environments/nope.yaml "
                + "and nothing live)\n"), unknown);
    }

    @Test
    void outSavesThePlanWhileMarkdownStillGoesToStdout() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        Path out = dir.resolve("plan.json");
        CliRun run = run("plan", "--repo", repo(), "--observed", "{}", "--format", "markdown", "--out", out.toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.out().startsWith("<!-- terrace:plan -->\n"), run.out());
        assertTrue(run.out().contains("| `acme` | standard | production |"), run.out());
        JsonNode saved = new ObjectMapper().readTree(Files.readString(out));
        assertEquals(1, saved.path("savedPlan").path("version").asInt());
        assertTrue(environment(saved, "acme").path("fingerprint").asText().startsWith("sha256:"), saved.toString());
    }

    @Test
    void deletedFileGivesABlockedPlanUnlessAllowDestroy() throws IOException {
        write("environments/globex.yaml", standardSpec("globex", 4));
        Path observed = dir.resolve("observed.json");
        ObservedStateJson.write(applied("acme"), observed);
        CliRun run = run("plan", "--repo", repo(), "--observed", observed.toString(), "--format", "json");
        assertEquals(2, run.exit(), run.err());
        JsonNode acme = environment(new ObjectMapper().readTree(run.out()), "acme");
        assertEquals(acme.path("changes").size(), acme.path("blocked").size());

        CliRun allowed = run("plan", "--repo", repo(), "--observed", observed.toString(), "--format", "json", "--allow-destroy");
        assertEquals(0, environment(new ObjectMapper().readTree(allowed.out()), "acme").path("blocked").size());
    }

    @Test
    void unreadableInputIsOneLineAndExitsOne() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        Path missing = dir.resolve("missing.json");
        assertEquals(new CliRun(1, "", "terrace plan: " + missing + ": no such file\n"),
                run("plan", "--repo", repo(), "--observed", missing.toString()));

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"resources\": [\n  {\"address\": }\n]}\n");
        CliRun badRun = run("plan", "--repo", repo(), "--observed", bad.toString());
        assertEquals(1, badRun.exit());
        assertTrue(badRun.err().startsWith("terrace plan: " + bad + ":2:15: invalid JSON: Unexpected character ('}'"),
                badRun.err());
        assertEquals(1, badRun.err().lines().count(), badRun.err());

        assertEquals(new CliRun(1, "", "terrace plan: " + dir.resolve("nope") + ": no such directory (--repo)\n"),
                run("plan", "--repo", dir.resolve("nope").toString(), "--observed", "{}"));
    }

    // Without --observed the plan reads AWS: covered against moto by AwsCommandsIT.

    /** What applying {@code name}'s spec leaves live, as an observer would report it. */
    private ObservedState applied(String name) {
        var spec = ((SpecResult.Valid) SpecRepository.load(dir).find(name)
                .or(() -> {
                    try {
                        Path tmp = Files.createTempDirectory(dir, "applied");
                        Files.createDirectories(tmp.resolve("environments"));
                        Files.writeString(tmp.resolve("environments/" + name + ".yaml"), standardSpec(name, 4));
                        return SpecRepository.load(tmp).find(name);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).orElseThrow()).spec();
        List<Resource> desired = DesiredState.compile(spec, "0ld0ld0");
        Map<String, ObservedResource> live = new java.util.LinkedHashMap<>();
        for (Resource r : desired) {
            live.put(r.address(), observed(r));
        }
        // The endpoints and the secret the task definitions name, then the task definitions with them.
        for (Resource r : desired) {
            for (Object v : r.attributes().values()) {
                for (io.terrace.planner.LiveRef ref : io.terrace.planner.LiveRef.refsIn(v)) {
                    ObservedResource o = live.get(ref.address());
                    Map<String, Object> attrs = new HashMap<>(o.attributes());
                    attrs.putIfAbsent(ref.attribute(), ref.attribute() + "." + o.id());
                    live.put(o.address(), new ObservedResource(o.address(), o.type(), o.id(), attrs, o.tags()));
                }
            }
        }
        for (Resource r : desired) {
            if (!r.referencedAddresses().isEmpty()) {
                live.put(r.address(), observed(r.resolved(a -> java.util.Optional.ofNullable(live.get(a)))));
            }
        }
        return ObservedState.of(List.copyOf(live.values()));
    }

    private static ObservedResource observed(Resource r) {
        Map<String, Object> attrs = new HashMap<>();
        r.attributes().forEach((k, v) -> attrs.put(k, v instanceof Range range ? range.min() + (range.max() - range.min()) / 2 : v));
        return new ObservedResource(r.address(), r.type(), r.name(), attrs, r.tags());
    }

    private static JsonNode environment(JsonNode plan, String name) {
        for (JsonNode e : plan.path("environments")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no environment " + name + " in plan");
    }

    private String repo() {
        return dir.toString();
    }

    private void write(String path, String content) throws IOException {
        SpecRepo.write(dir, path, content);
    }
}
