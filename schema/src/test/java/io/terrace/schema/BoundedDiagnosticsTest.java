package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A huge value repeated across files costs a few short lines per file: values are quoted as
 * excerpts with their length, a conflict shared by many files is one line per file with a count,
 * and one file never prints more than a bounded number of lines.
 */
class BoundedDiagnosticsTest {

    private static final int FILES = 30;
    private static final String HUGE = "a".repeat(900_000);

    @Test
    void thirtyFilesDeclaringOneHugeNamePrintUnder100Kilobytes() {
        String output = output(repository(i -> env("ignored", "www.e" + i + ".example").replace("name: ignored",
                "name: " + HUGE)));
        assertTrue(output.length() < 100_000, () -> "printed " + output.length() + " characters");
        assertTrue(output.contains("environments/e07.yaml:3:7: environment name 'aaaaaaaaaa"), output);
        assertTrue(output.contains("…' (900,000 characters) is also used by 29 other files: environments/e00.yaml, "
                + "environments/e01.yaml, environments/e02.yaml and 26 more; environment names must be unique"), output);
    }

    @Test
    void thirtyFilesClaimingOneHugeAliasPrintUnder100Kilobytes() {
        String output = output(repository(i -> env("e" + pad(i), HUGE)));
        assertTrue(output.length() < 100_000, () -> "printed " + output.length() + " characters");
        assertTrue(output.contains("environments/e00.yaml:14:7: cdn.aliases[0] 'aaaa"), output);
        assertTrue(output.contains("…' (900,000 characters) is also claimed by 29 other files: environments/e01.yaml, "
                + "environments/e02.yaml, environments/e03.yaml and 26 more"), output);
        assertTrue(output.contains("cdn.aliases[0] is 900000 characters long; at most 253 allowed"), output);
    }

    @Test
    void thirtyFilesClaimingOneAliasNameAFewAndCountTheRest() {
        String output = output(repository(i -> env("e" + pad(i), "www.shared.example")));
        assertEquals(FILES, output.lines().count(), output);
        assertTrue(output.contains("environments/e05.yaml:14:7: cdn.aliases[0] 'www.shared.example' is also claimed "
                + "by 29 other files: environments/e00.yaml, environments/e01.yaml, environments/e02.yaml and 26 more; "
                + "CDN aliases must be unique across environments"), output);
    }

    @Test
    void hugeKeysAndValuesAreQuotedAsExcerpts() {
        String base = env("acme", "www.acme.example");
        assertEquals(List.of("environments/acme.yaml:15:3: unknown key '" + "a".repeat(60) + "…' (5,000 characters) "
                        + "at the top level; allowed keys: apiVersion, kind, name,"),
                lines(base + "? " + HUGE.substring(0, 5000) + "\n: 1\n").stream()
                        .map(l -> l.substring(0, l.indexOf(" name,") + 6)).toList());
        assertEquals(List.of("environments/acme.yaml:16:5: tag key '" + "k".repeat(60) + "…' (5,000 characters) is "
                        + "5000 characters long; AWS allows 1 to 128"),
                lines(base + "tags:\n  ? " + "k".repeat(5000) + "\n  : x\n"));
        assertEquals(List.of("environments/acme.yaml:16:10: tags.owner is 5000 characters long; at most 256 allowed"),
                lines(base + "tags:\n  owner: \"" + "v".repeat(5000) + "\"\n"));
        assertEquals(List.of("environments/acme.yaml:17:5: tags." + "k".repeat(60)
                        + "… (5,000 characters) is 5000 characters long; at most 256 allowed"),
                lines(base + "tags:\n  ? " + "k".repeat(5000) + "\n  : \"" + "v".repeat(5000) + "\"\n"));
    }

    private static List<String> lines(String spec) {
        List<String> lines = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", spec)).stream()
                .map(Diagnostic::toString).toList();
        lines.forEach(l -> assertTrue(l.length() <= 400, l));
        return lines;
    }

    @Test
    void oneFilePrintsAtMostABoundedNumberOfLines() {
        StringBuilder spec = new StringBuilder(env("acme", "www.acme.example"));
        for (int i = 0; i < 1000; i++) {
            spec.append("unknown").append(i).append(": 1\n");
        }
        List<Diagnostic> diagnostics = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", spec.toString()));
        assertEquals(EnvironmentFile.MAX_DIAGNOSTICS, diagnostics.size());
        assertEquals("environments/acme.yaml: and 976 more problems in this file; fix the ones above first",
                diagnostics.get(diagnostics.size() - 1).toString());
    }

    @Test
    void lineBreaksInAValueNeverSplitADiagnostic() {
        String spec = env("acme", "www.acme.example").replace("tier: standard", "tier: \"gold\\nfake.yaml:1:1: ok\"");
        List<Diagnostic> diagnostics = SpecFixtures.diagnostics(SpecFixtures.load("acme.yaml", spec));
        assertEquals("environments/acme.yaml:5:7: tier is 'gold\\nfake.yaml:1:1: ok'; allowed: developer, standard, "
                + "business, enterprise", diagnostics.get(0).toString());
    }

    @Test
    void everyMessageIsOneLineOfAtMost500Characters() {
        Diagnostic d = new Diagnostic("environments/acme.yaml", 1, 1, "first\nsecond " + "x".repeat(10_000));
        assertEquals(Diagnostic.MAX_MESSAGE, d.message().length());
        assertTrue(d.message().startsWith("first\\nsecond xxx") && d.message().endsWith("x…"), d.message());
        String longPath = "environments/" + "p".repeat(5000) + ".yaml";
        assertEquals("environments/" + "p".repeat(47) + "… (5,018 characters): empty",
                new Diagnostic(longPath, 0, 0, "empty").toString());
    }

    private interface Spec {
        String of(int i);
    }

    private static Map<String, byte[]> repository(Spec spec) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < FILES; i++) {
            files.put("environments/e" + pad(i) + ".yaml", spec.of(i).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static String output(Map<String, byte[]> files) {
        return SpecRepository.load(files, Optional.empty()).diagnostics().stream()
                .map(d -> d + "\n").collect(Collectors.joining());
    }

    private static String pad(int i) {
        return String.format("%02d", i);
    }

    static String env(String name, String alias) {
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
}
