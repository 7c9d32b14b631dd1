package io.terrace.reconciler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.planner.LiveFingerprint;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.ResourceType;
import io.terrace.planner.SavedPlan;
import io.terrace.reconciler.git.ScratchRepo;
import io.terrace.reconciler.git.SpecSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved plan is accepted while nothing moved and refused, with a reason, when anything did. */
class SavedPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ScratchRepo repo;
    private RevCommit first;

    static String spec(String name, int webMax) {
        return "apiVersion: terrace/v1\nkind: Environment\nname: " + name + "\nclient: " + name + "\n"
                + "tier: developer\nstage: development\nregion: eu-west-1\n"
                + "application:\n  image: registry.example.com/" + name + "/app:1.0.0\n"
                + "  web: { cpu: 256, memory: 512, min: 1, max: " + webMax + " }\n"
                + "cdn:\n  aliases: [" + name + ".example]\n";
    }

    @BeforeEach
    void twoEnvironments() {
        repo = ScratchRepo.init(dir.resolve("specs"));
        repo.write("environments/acme.yaml", spec("acme", 2)).write("environments/globex.yaml", spec("globex", 2));
        first = repo.commit("two environments");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    /** acme is live with its web service at 1 task and its bucket unversioned; globex is not live. */
    private static ObservedState live(int webTasks, boolean versioning, String revision) {
        Map<String, String> tags = Map.of("terrace:managed-by", "terrace", "terrace:environment", "acme",
                "terrace:revision", revision);
        Map<String, Object> service = new HashMap<>(Map.of("desiredCount", webTasks, "launchType", "FARGATE",
                "taskDefinition", "acme-web", "loadBalanced", true, "enableExecuteCommand", false));
        return ObservedState.of(List.of(
                new ObservedResource("acme/web/service", ResourceType.ECS_SERVICE, "arn:svc", service, tags),
                new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "acme-assets",
                        Map.of("versioning", versioning, "encryption", "AES256", "publicAccessBlocked", true), tags)));
    }

    private Plan plan(ObservedState live) {
        SpecSnapshot snapshot = SpecSnapshot.read(repo.dir());
        return new Planner(PlanOptions.DEFAULT).plan(snapshot.specs(), snapshot.revisions(), live);
    }

    private SavedPlan saveAndReadBack(ObservedState live) throws Exception {
        Path file = dir.resolve("plan.json");
        SavedPlan.of(plan(live), live, PlanOptions.DEFAULT).write(file);
        return SavedPlan.read(file);
    }

    @Test
    void recordsEachEnvironmentsRevisionAndLiveFingerprint() throws Exception {
        ObservedState live = live(1, false, first.name());
        Path file = dir.resolve("plan.json");
        SavedPlan.of(plan(live), live, PlanOptions.DEFAULT).write(file);

        JsonNode doc = JSON.readTree(Files.readString(file));
        assertEquals(1, doc.path("savedPlan").path("version").asInt());
        assertEquals(false, doc.path("savedPlan").path("allowDestroy").asBoolean(true));
        assertTrue(doc.path("summary").path("create").asInt() > 0, "the --format json document is all there");
        JsonNode acme = doc.path("environments").get(0);
        assertEquals("acme", acme.path("name").asText());
        assertEquals(first.name(), acme.path("revision").asText());
        assertEquals(LiveFingerprint.of(live.environment("acme")), acme.path("fingerprint").asText());
        assertEquals(LiveFingerprint.of(List.of()), doc.path("environments").get(1).path("fingerprint").asText());
        assertEquals(Map.of("acme", new SavedPlan.Stamp(first.name(), LiveFingerprint.of(live.environment("acme"))),
                "globex", new SavedPlan.Stamp(first.name(), LiveFingerprint.of(List.of()))),
                SavedPlan.read(file).environments());
    }

    @Test
    void isAcceptedWhenNothingMoved() throws Exception {
        SavedPlan saved = saveAndReadBack(live(1, false, first.name()));

        ObservedState again = live(1, false, first.name());
        assertEquals(List.of(), saved.staleness(plan(again), again));
    }

    @Test
    void isAcceptedWhenTheAutoscalerMovedWithinItsRange() throws Exception {
        SavedPlan saved = saveAndReadBack(live(1, false, first.name()));

        ObservedState scaled = live(2, false, first.name());
        assertEquals(List.of(), saved.staleness(plan(scaled), scaled));
    }

    @Test
    void isRefusedWhenLiveStateChangedOutOfBand() throws Exception {
        SavedPlan saved = saveAndReadBack(live(1, false, first.name()));

        ObservedState edited = live(1, true, first.name());
        assertEquals(List.of("acme: live state changed since the plan was saved"), saved.staleness(plan(edited), edited));
    }

    @Test
    void isRefusedWhenASpecMoved() throws Exception {
        SavedPlan saved = saveAndReadBack(live(1, false, first.name()));
        repo.write("environments/globex.yaml", spec("globex", 1));
        RevCommit second = repo.commit("globex: web max 1");

        ObservedState same = live(1, false, first.name());
        assertEquals(List.of("globex: spec moved from revision " + first.name().substring(0, 12) + " to "
                + second.name().substring(0, 12)), saved.staleness(plan(same), same));
    }

    @Test
    void isRefusedWhenPlanningAgainGivesOtherChanges() throws Exception {
        ObservedState live = live(1, false, first.name());
        Path file = dir.resolve("plan.json");
        SavedPlan.of(plan(live), live, PlanOptions.DEFAULT).write(file);
        // Someone edited the reviewed plan (or another Terrace version planned it).
        ObjectNode doc = (ObjectNode) JSON.readTree(Files.readString(file));
        ((ObjectNode) doc.path("environments").get(1).path("changes").get(0)).put("action", "delete");
        Files.writeString(file, JSON.writeValueAsString(doc), StandardCharsets.UTF_8);

        assertEquals(List.of("globex: planning again gives different changes than the saved plan"),
                SavedPlan.read(file).staleness(plan(live), live));
    }

    @Test
    void anEnvironmentThatVanishedIsRefused() throws Exception {
        SavedPlan saved = saveAndReadBack(live(1, false, first.name()));
        repo.delete("environments/globex.yaml").commit("drop globex (never applied)");

        ObservedState same = live(1, false, first.name());
        assertEquals(List.of("globex: no longer planned: its spec file and live resources are both gone"),
                saved.staleness(plan(same), same));
    }

    @Test
    void unreadableFilesAreOneLineErrors() throws Exception {
        Path missing = dir.resolve("missing.json");
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\n  \"savedPlan\": ", StandardCharsets.UTF_8);
        Path renderedPlan = Files.writeString(dir.resolve("plain.json"), "{\"environments\":[]}", StandardCharsets.UTF_8);
        Path future = Files.writeString(dir.resolve("future.json"), "{\"savedPlan\":{\"version\":9}}", StandardCharsets.UTF_8);

        assertEquals(missing + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> SavedPlan.read(missing)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedPlan.read(notJson)).getMessage()
                .startsWith(notJson + ":2:"));
        assertEquals(renderedPlan + ": not a saved plan (write one with terrace plan --out FILE)",
                assertThrows(IllegalArgumentException.class, () -> SavedPlan.read(renderedPlan)).getMessage());
        assertEquals(future + ": saved plan version 9 is not supported (expected 1); plan again with this terrace",
                assertThrows(IllegalArgumentException.class, () -> SavedPlan.read(future)).getMessage());
    }

    @Test
    void planOutSavesThePlanAndStillPrintsIt() throws Exception {
        ObservedState live = live(1, false, first.name());
        Path observed = dir.resolve("observed.json");
        ObservedStateJson.write(live, observed);
        Path file = dir.resolve("saved.json");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new io.terrace.reconciler.cli.TerraceCli());
        cli.setOut(new java.io.PrintWriter(out, true));

        int code = cli.execute("plan", "--repo", repo.dir().toString(), "--observed", observed.toString(),
                "--out", file.toString());

        assertEquals(2, code);
        assertTrue(out.toString().contains("acme"), out.toString());
        SavedPlan saved = SavedPlan.read(file);
        assertEquals(List.of(), saved.staleness(plan(live), live));
    }
}
