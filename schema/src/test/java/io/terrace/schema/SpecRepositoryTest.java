package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a whole repository: which files count, cross-file rules, isolation of bad files, PAUSE. */
class SpecRepositoryTest {

    @TempDir
    Path repo;

    @Test
    void badFileNeverStopsTheOthers() throws IOException {
        write("environments/acme.yaml", env("acme", "www.acme.example"));
        write("environments/broken.yaml", "name: [unclosed\n");
        write("environments/globex.yaml", env("globex", "www.globex.example"));
        SpecSet set = SpecRepository.load(repo);
        assertEquals(List.of("environments/acme.yaml", "environments/broken.yaml", "environments/globex.yaml"),
                set.results().stream().map(SpecResult::file).toList());
        assertInstanceOf(SpecResult.Valid.class, set.find("acme").orElseThrow());
        assertInstanceOf(SpecResult.Invalid.class, set.find("broken").orElseThrow());
        assertInstanceOf(SpecResult.Valid.class, set.find("globex").orElseThrow());
        assertEquals(1, set.diagnostics().size());
    }

    @Test
    void onlyYamlFilesDirectlyUnderEnvironmentsCount() throws IOException {
        write("environments/acme.yaml", env("acme", "www.acme.example"));
        write("environments/globex.yml", env("globex", "www.globex.example"));
        write("environments/README.md", "# not a spec\n");
        write("environments/.hidden.yaml", "not: a spec\n");
        write("environments/archive/old.yaml", "not: a spec\n");
        write("other/x.yaml", "not: a spec\n");
        write("x.yaml", "not: a spec\n");
        SpecSet set = SpecRepository.load(repo);
        assertEquals(List.of("acme", "globex"), set.results().stream().map(SpecResult::name).toList());
        assertTrue(set.valid());
    }

    @Test
    void cdnAliasClaimedTwiceInvalidatesBothClaimants() throws IOException {
        write("environments/acme.yaml", env("acme", "www.shared.example"));
        write("environments/globex.yaml", env("globex", "www.shared.example"));
        write("environments/initech.yaml", env("initech", "www.initech.example"));
        SpecSet set = SpecRepository.load(repo);
        assertEquals(List.of(
                "environments/acme.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed by "
                        + "environments/globex.yaml; CDN aliases must be unique across environments",
                "environments/globex.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed by "
                        + "environments/acme.yaml; CDN aliases must be unique across environments"),
                set.diagnostics().stream().map(Diagnostic::toString).toList());
        assertInstanceOf(SpecResult.Valid.class, set.find("initech").orElseThrow());
    }

    @Test
    void anAliasClaimedByThreeFilesAndRepeatedIsOneLinePerFile() throws IOException {
        write("environments/acme.yaml", env("acme", "www.shared.example") + "    - www.shared.example\n");
        write("environments/globex.yaml", env("globex", "www.shared.example"));
        write("environments/initech.yaml", env("initech", "www.shared.example"));
        SpecSet set = SpecRepository.load(repo);
        assertEquals(List.of(
                "environments/acme.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed by "
                        + "2 other files: environments/globex.yaml and environments/initech.yaml; "
                        + "CDN aliases must be unique across environments",
                "environments/acme.yaml:15:7: cdn.aliases lists 'www.shared.example' more than once",
                "environments/globex.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed by "
                        + "2 other files: environments/acme.yaml and environments/initech.yaml; "
                        + "CDN aliases must be unique across environments",
                "environments/initech.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed by "
                        + "2 other files: environments/acme.yaml and environments/globex.yaml; "
                        + "CDN aliases must be unique across environments"),
                set.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void aliasesOfADisabledCdnClaimNothing() throws IOException {
        write("environments/acme.yaml", env("acme", "www.shared.example"));
        write("environments/globex.yaml", env("globex", "www.shared.example")
                .replace("tier: standard", "tier: enterprise").replace("db.t4g.medium", "db.r6g.large")
                .replace("cdn:\n", "cdn:\n  enabled: false\n"));
        assertTrue(SpecRepository.load(repo).valid(), () -> SpecRepository.load(repo).diagnostics().toString());
    }

    @Test
    void sameNameInYamlAndYmlIsADuplicate() throws IOException {
        write("environments/acme.yaml", env("acme", "www.acme.example"));
        write("environments/acme.yml", env("acme", "www2.acme.example"));
        List<String> lines = SpecRepository.load(repo).diagnostics().stream().map(Diagnostic::toString).toList();
        assertEquals(List.of(
                "environments/acme.yaml:3:7: environment name 'acme' is also used by environments/acme.yml; "
                        + "environment names must be unique",
                "environments/acme.yml:3:7: environment name 'acme' is also used by environments/acme.yaml; "
                        + "environment names must be unique"), lines);
    }

    @Test
    void fileNameMustEqualName() throws IOException {
        write("environments/acme-prod.yaml", env("acme", "www.acme.example"));
        SpecSet set = SpecRepository.load(repo);
        assertEquals("acme-prod", set.results().get(0).name());
        assertEquals(List.of("environments/acme-prod.yaml:3:7: name is 'acme' but the file is "
                        + "environments/acme-prod.yaml; the file name must equal name (acme.yaml)"),
                set.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void givenFilesAreCheckedAgainstTheWholeRepository() throws IOException {
        write("environments/acme.yaml", env("acme", "www.shared.example"));
        write("environments/globex.yaml", env("globex", "www.shared.example"));
        write("environments/initech.yaml", env("initech", "www.initech.example"));
        SpecSet set = SpecRepository.load(repo, List.of(Path.of("environments/acme.yaml"),
                repo.resolve("environments/initech.yaml")));
        assertEquals(List.of("environments/acme.yaml", "environments/initech.yaml"),
                set.results().stream().map(SpecResult::file).toList());
        assertEquals(1, set.diagnostics().size());
        assertTrue(set.diagnostics().get(0).message().contains("also claimed by environments/globex.yaml"));
    }

    @Test
    void givenFileThatDoesNotExistIsOneDiagnostic() {
        SpecSet set = SpecRepository.load(repo, List.of(Path.of("environments/nope.yaml")));
        assertEquals(List.of("environments/nope.yaml: file not found"),
                set.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void pauseFileFirstLineIsTheReason() throws IOException {
        write("environments/acme.yaml", env("acme", "www.acme.example"));
        assertEquals(Optional.empty(), SpecRepository.load(repo).pauseReason());
        write("PAUSE", "  database migration, ask #platform\nsecond line is ignored\n");
        assertEquals(Optional.of("database migration, ask #platform"), SpecRepository.load(repo).pauseReason());
        write("PAUSE", "");
        assertEquals(Optional.of("paused"), SpecRepository.load(repo).pauseReason());
        write("PAUSE", "\n\n");
        assertEquals(Optional.of("paused"), SpecRepository.load(repo).pauseReason());
    }

    @Test
    void contentsFromAGitTreeFollowTheSameRules() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("environments/acme.yaml", env("acme", "www.acme.example").getBytes(StandardCharsets.UTF_8));
        files.put("environments/globex.yaml", "kind: [\n".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", "# specs\n".getBytes(StandardCharsets.UTF_8));
        SpecSet set = SpecRepository.load(files, Optional.of("freeze for the sale\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("acme", "globex"), set.results().stream().map(SpecResult::name).toList());
        assertInstanceOf(SpecResult.Valid.class, set.results().get(0));
        assertInstanceOf(SpecResult.Invalid.class, set.results().get(1));
        assertEquals(Optional.of("freeze for the sale"), set.pauseReason());
    }

    @Test
    void missingEnvironmentsDirectoryIsAnEmptySet() {
        SpecSet set = SpecRepository.load(repo);
        assertEquals(List.of(), set.results());
    }

    private static String env(String name, String alias) {
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
                database:
                  instanceClass: db.t4g.medium
                cdn:
                  aliases:
                    - %s
                """.formatted(name, alias);
    }

    private void write(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
