package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
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
        write("environments/acme.yaml", env("acme", 4));
        write("environments/globex.yaml", env("globex", 4));
        CliRun run = run("validate", "--repo", repo.toString());
        assertEquals(new CliRun(0, "2 environments valid\n", ""), run);
    }

    @Test
    void invalidFilesPrintOneLinePerProblemAndExitOne() throws IOException {
        write("environments/acme.yaml", env("acme", 80));
        write("environments/broken.yaml", "name: [\n");
        write("environments/globex.yaml", env("globex", 4));
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
        write("environments/acme.yaml", env("acme", 4));
        write("environments/globex.yaml", env("globex", 80));
        CliRun run = run("validate", "--repo", repo.toString(), "environments/acme.yaml");
        assertEquals(new CliRun(0, "1 environment valid\n", ""), run);
        run = run("validate", "--repo", repo.toString(), repo.resolve("environments/globex.yaml").toString());
        assertEquals(new CliRun(1, "1 of 1 environment invalid\n",
                "environments/globex.yaml:11:10: application.web.max is 80; tier standard allows at most 10\n"), run);
    }

    @Test
    void pausedRepositorySaysSoInTheSummary() throws IOException {
        write("environments/acme.yaml", env("acme", 4));
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
        Path specs = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(specs.resolve("specs/environments"))) {
            specs = specs.getParent();
        }
        CliRun run = run("validate", "--repo", specs.resolve("specs").toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
    }

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static String env(String name, int webMax) {
        return """
                apiVersion: terrace/v1
                kind: Environment
                name: %s
                client: acme
                tier: standard
                stage: production
                region: eu-west-1
                application:
                  image: registry.example.com/acme/app:1.0.0
                  web:
                    max: %d
                cdn:
                  aliases: [www.%s.example]
                """.formatted(name, webMax, name);
    }

    private void write(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
