package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.SpecRepo.standardSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code terrace validate} as a user runs it: diagnostics on stderr, a summary on stdout, exit 0 or 1. */
class ValidateCommandTest {

    @TempDir
    Path repo;

    /** What one run printed and returned. */
    @Test
    void allValidRepositoryExitsZeroWithASummary() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        write("environments/globex.yaml", standardSpec("globex", 4));
        CliRun run = run("validate", "--repo", repo.toString());
        assertEquals(new CliRun(0, "2 environments valid\n", ""), run);
    }

    @Test
    void invalidFilesPrintOneLinePerProblemAndExitOne() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 80));
        write("environments/broken.yaml", "name: [\n");
        write("environments/globex.yaml", standardSpec("globex", 4));
        CliRun run = run("validate", "--repo", repo.toString());
        assertEquals(1, run.exit());
        assertEquals("2 of 3 environments invalid\n", run.out());
        assertEquals("""
                environments/acme.yaml:11:10: application.web.max is 80; tier standard allows at most 10
                environments/broken.yaml:2:1: invalid YAML: expected the node content, but found '<stream end>' \
                (while parsing a flow node)
                """, run.err());
    }

    @Test
    void namedFilesAreValidatedAgainstTheWholeRepository() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        write("environments/globex.yaml", standardSpec("globex", 80));
        CliRun run = run("validate", "--repo", repo.toString(), "environments/acme.yaml");
        assertEquals(new CliRun(0, "1 environment valid\n", ""), run);
        run = run("validate", "--repo", repo.toString(), repo.resolve("environments/globex.yaml").toString());
        assertEquals(new CliRun(1, "1 of 1 environment invalid\n",
                "environments/globex.yaml:11:10: application.web.max is 80; tier standard allows at most 10\n"), run);
    }

    @Test
    void thirtyFilesDeclaringOneHugeNamePrintUnder100Kilobytes() throws IOException {
        String huge = "a".repeat(900_000);
        for (int i = 0; i < 30; i++) {
            write("environments/e" + i + ".yaml", standardSpec("e" + i, 4).replace("name: e" + i + "\n", "name: " + huge + "\n"));
        }
        CliRun run = run("validate", "--repo", repo.toString());
        assertEquals(1, run.exit());
        assertEquals("30 of 30 environments invalid\n", run.out());
        int bytes = run.err().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes < 100_000, "validate printed " + bytes + " bytes");
        assertTrue(run.err().contains("environments/e7.yaml:3:7: environment name 'aaaaaaaaaa"), run.err());
        assertTrue(run.err().contains("…' (900,000 characters) is also used by 29 other files: "), run.err());
    }

    @Test
    void pausedRepositorySaysSoInTheSummary() throws IOException {
        write("environments/acme.yaml", standardSpec("acme", 4));
        write("PAUSE", "incident 42\n");
        assertEquals(new CliRun(0, "1 environment valid (repository paused: incident 42)\n", ""),
                run("validate", "--repo", repo.toString()));
    }

    @Test
    void repositoryWithoutEnvironmentsIsAnError() {
        assertEquals(new CliRun(1, "", "terrace validate: " + repo + " has no environments/ directory\n"),
                run("validate", "--repo", repo.toString()));
    }

    @Test
    void exampleSpecsValidate() {
        CliRun run = run("validate", "--repo", SpecRepo.examples().toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
    }

    private void write(String path, String content) throws IOException {
        SpecRepo.write(repo, path, content);
    }
}
