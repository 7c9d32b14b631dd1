package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.git.ScratchRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code terrace plan --base --head} on a spec repository with five environments, as a pull
 * request workflow runs it. Live state comes from an observed-state file, so no AWS is needed.
 */
class PullRequestPlanTest {

    private static final List<String> FIVE = List.of("alpha", "bravo", "charlie", "delta", "echo");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ScratchRepo repo;
    private Path observed;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A valid developer-tier spec; {@code webMax} above 2 breaks the tier's limit. */
    static String spec(String name, int webMax) {
        return "apiVersion: terrace/v1\n"
                + "kind: Environment\n"
                + "name: " + name + "\n"
                + "client: " + name.replace("-", "") + "\n"
                + "tier: developer\n"
                + "stage: development\n"
                + "region: eu-west-1\n"
                + "application:\n"
                + "  image: registry.example.com/" + name + "/app:1.0.0\n"
                + "  web: { cpu: 256, memory: 512, min: 1, max: " + webMax + " }\n"
                + "cdn:\n"
                + "  aliases: [" + name + ".example]\n";
    }

    @BeforeEach
    void fiveEnvironmentsOnMain() throws Exception {
        repo = ScratchRepo.init(dir.resolve("specs"));
        for (String env : FIVE) {
            repo.write("environments/" + env + ".yaml", spec(env, 2));
        }
        repo.commit("five environments");
        repo.fakeFetch("main");
        // Live: bravo exists (managed by Terrace, not decommissioned), alpha too. Nothing else.
        observed = dir.resolve("observed.json");
        Files.writeString(observed, "{\"resources\":[" + live("bravo") + "," + live("alpha") + "]}", StandardCharsets.UTF_8);
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private static String live(String env) {
        String tags = "{\"terrace:managed-by\":\"terrace\",\"terrace:environment\":\"" + env + "\","
                + "\"terrace:component\":\"%s\",\"terrace:revision\":\"0123456789abcdef0123456789abcdef01234567\"}";
        return "{\"address\":\"" + env + "/database/cluster\",\"type\":\"aws_rds_cluster\",\"id\":\"terrace-" + env + "\","
                + "\"attributes\":{\"engine\":\"aurora-mysql\",\"engineVersion\":\"8.0\",\"deletionProtection\":true,"
                + "\"backupRetentionDays\":1},\"tags\":" + tags.formatted("database") + "},"
                + "{\"address\":\"" + env + "/assets/bucket\",\"type\":\"aws_s3_bucket\",\"id\":\"terrace-" + env + "-assets\","
                + "\"attributes\":{\"versioning\":true,\"encryption\":\"AES256\",\"publicAccessBlocked\":true},"
                + "\"tags\":" + tags.formatted("assets") + "}";
    }

    /** {@code terrace plan --base origin/main --head HEAD} with the observed-state file. */
    private int plan(String... extra) {
        List<String> args = new ArrayList<>(List.of("--base", "origin/main", "--head", "HEAD"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private int run(String... options) {
        List<String> args = new ArrayList<>(List.of("plan", "--repo", repo.dir().toString(),
                "--observed", observed.toString()));
        args.addAll(List.of(options));
        CommandLine cli = new CommandLine(new TerraceCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("terrace: " + ex.getMessage());
            return TerraceCli.ERROR;
        });
        return cli.execute(args.toArray(String[]::new));
    }

    private List<String> plannedEnvironments() throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(out.toString()).path("environments").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    @Test
    void aBranchChangingOneEnvironmentPlansOnlyThatOne() throws Exception {
        repo.branch("resize-charlie").write("environments/charlie.yaml", spec("charlie", 1));
        repo.commit("charlie: web max 1");

        int code = plan("--format", "json");

        assertEquals(TerraceCli.CHANGES, code, err.toString());
        assertEquals(List.of("charlie"), plannedEnvironments(), "alpha and bravo are live but untouched");
    }

    @Test
    void aBranchTouchingNothingPlansNothing() throws Exception {
        repo.branch("docs").write("README.md", "how to\n");
        repo.commit("docs only");

        assertEquals(TerraceCli.OK, plan("--format", "json"), err.toString());
        assertEquals(List.of(), plannedEnvironments());
    }

    @Test
    void deletingASpecShowsItsBlockedDelete() throws Exception {
        repo.branch("drop-bravo").delete("environments/bravo.yaml");
        repo.commit("remove bravo");

        int code = plan("--format", "json");

        assertEquals(TerraceCli.CHANGES, code, err.toString());
        JsonNode bravo = JSON.readTree(out.toString()).path("environments").get(0);
        assertEquals("bravo", bravo.path("name").asText());
        assertEquals(List.of("bravo/assets/bucket", "bravo/database/cluster"), addresses(bravo.path("blocked")));
        bravo.path("changes").forEach(c -> assertEquals("delete", c.path("action").asText()));
        assertEquals(2, JSON.readTree(out.toString()).path("summary").path("blocked").asInt());
    }

    @Test
    void anInvalidSpecShowsItsErrorWithFileAndLine() throws Exception {
        repo.branch("too-big").write("environments/delta.yaml", spec("delta", 80));
        repo.commit("delta: web max 80");

        int code = plan("--format", "markdown");

        assertEquals(TerraceCli.ERROR, code, err.toString());
        String md = out.toString();
        Matcher error = Pattern.compile("- `environments/delta\\.yaml:10:\\d+: [^`]*web\\.max[^`]*`").matcher(md);
        assertTrue(error.find(), md);
        assertTrue(md.contains("`delta` ❌ invalid"), md);
    }

    @Test
    void markdownNamesTheHeadCommitAndCarriesTheMarker() throws Exception {
        repo.branch("resize-echo").write("environments/echo.yaml", spec("echo", 1));
        RevCommit head = repo.commit("echo: web max 1");

        assertEquals(TerraceCli.CHANGES, plan("--format", "markdown"), err.toString());

        String md = out.toString();
        assertTrue(md.startsWith("<!-- terrace:plan -->\n"), md);
        assertTrue(md.contains("Head commit: `" + head.name() + "`"), md);
        assertTrue(md.contains("| `echo` |"), md);
        assertFalse(md.contains("`alpha`"), md);
    }

    @Test
    void aBranchAddingThreeHundredEnvironmentsFitsOneCommentWithEveryRow() throws Exception {
        repo.branch("onboard");
        for (int i = 1; i <= 300; i++) {
            String name = String.format("site-%03d", i);
            repo.write("environments/" + name + ".yaml", spec(name, 2));
        }
        repo.commit("300 new sites");

        int code = plan("--format", "markdown");

        assertEquals(TerraceCli.CHANGES, code, err.toString());
        String md = out.toString();
        assertTrue(md.length() < 65_536, "comment has " + md.length() + " characters");
        String summary = md.substring(0, md.indexOf("<details>") < 0 ? md.length() : md.indexOf("<details>"));
        for (int i = 1; i <= 300; i++) {
            String row = "| `" + String.format("site-%03d", i) + "` | developer | development |";
            assertTrue(summary.contains(row), "summary lacks " + row);
        }
        assertTrue(md.contains("cut to keep this comment under 65,536 characters"), "details were cut with a note");
    }

    @Test
    void unknownRefsAndAHalfRangeAreOneLineErrors() {
        assertEquals(TerraceCli.ERROR, run("--base", "origin/nope", "--head", "HEAD"));
        assertTrue(err.toString().startsWith("terrace: git ref 'origin/nope' does not name a commit in "), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(TerraceCli.ERROR, run("--head", "HEAD"));
        assertEquals("terrace: --base and --head go together\n", err.toString());
    }

    private static List<String> addresses(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("address").asText()));
        out.sort(null);
        return out;
    }
}
