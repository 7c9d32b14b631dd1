package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input an attacker or a slip of the keyboard can produce: each gets exactly one diagnostic with
 * the file and, where the input has one, the line and column; never an exception, never a hang.
 */
class HostileInputTest {

    static Stream<Arguments> inputs() {
        return Stream.of(
                input("unclosed flow list is a syntax error", "name: [a, b\nkind: x\n",
                        "environments/bad.yaml:2:5: invalid YAML: expected ',' or ']'"),
                input("duplicate top-level key", "name: bad\nname: worse\n",
                        "environments/bad.yaml:2:1: duplicate key 'name' at the top level; first defined at line 1"),
                input("duplicate nested key", "application:\n  web:\n    max: 2\n    max: 3\n",
                        "environments/bad.yaml:4:5: duplicate key 'max' in application.web; first defined at line 3"),
                input("tab indentation", "application:\n\timage: app:1\n",
                        "environments/bad.yaml:2:1: tab character; indent YAML with spaces"),
                input("alias bomb expanding past the node limit", bomb(),
                        "environments/bad.yaml:1:16: file holds more than 10000 YAML nodes once aliases are expanded"),
                input("a hundred thousand keys", wide(),
                        "environments/bad.yaml:10000:8: file holds more than 20000 YAML keys and values"),
                input("more aliases than allowed", "a: &a [x]\nb: [" + "*a, ".repeat(60) + "*a]\n",
                        "environments/bad.yaml:2:" + (5 + 4 * 50) + ": more than 50 aliases"),
                input("merge key merging the mapping that holds it", "a: &x\n  b: 1\n  <<: *x\n",
                        "environments/bad.yaml:3:3: merge key '<<' is not supported; write the keys out"),
                input("a number written out to a billion digits", "name: 1e999999999\n",
                        "environments/bad.yaml:1:7: number '1e999999999' is out of range"),
                input("infinity", "name: -.inf\n", "environments/bad.yaml:1:7: number '-.inf' is not a finite number"),
                input("recursive alias", "a: &a [*a]\n",
                        "environments/bad.yaml:1:4: alias refers to a node that contains it"),
                input("nesting past the depth limit", "[".repeat(200_000) + "]".repeat(200_000),
                        "environments/bad.yaml:1:33: nesting is deeper than 32 levels"),
                input("empty file", "", "environments/bad.yaml: file is empty; expected an Environment mapping"),
                input("only comments", "# nothing here\n", "environments/bad.yaml: file is empty"),
                input("a list at the top level", "- a\n- b\n",
                        "environments/bad.yaml:1:1: top level is a list; expected a mapping"),
                input("a scalar at the top level", "just text\n",
                        "environments/bad.yaml:1:1: top level is a scalar ('just text'); expected a mapping"),
                input("two documents", "a: 1\n---\nb: 2\n",
                        "environments/bad.yaml:2:1: file holds more than one YAML document; one environment per file"),
                input("custom tag", "name: !secret value\n",
                        "environments/bad.yaml:1:7: YAML tag '!secret' is not supported"),
                input("a mapping as a key", "? {a: 1}\n: x\n",
                        "environments/bad.yaml:1:3: key at the top level is a mapping; keys must be plain strings"),
                input("control character", "name: a\u0007b\n",
                        "environments/bad.yaml:1:8: character U+0007 is not allowed in YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void oneDiagnosticPerHostileFile(String reason, byte[] content, String expectedPrefix) {
        List<Diagnostic> diagnostics = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> SpecFixtures.diagnostics(SpecFixtures.load("bad.yaml", content)));
        assertEquals(1, diagnostics.size(), () -> "one diagnostic, got " + diagnostics);
        assertTrue(diagnostics.get(0).toString().startsWith(expectedPrefix),
                () -> "expected\n  " + expectedPrefix + "...\ngot\n  " + diagnostics.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bytes")
    void oneDiagnosticPerUnreadableFile(String reason, byte[] content, String expectedPrefix) {
        oneDiagnosticPerHostileFile(reason, content, expectedPrefix);
    }

    static Stream<Arguments> bytes() {
        byte[] latin1 = "name: bad\nclient: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] huge = new byte[YamlLoader.MAX_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        byte[] utf16 = "name: bad\n".getBytes(StandardCharsets.UTF_16);
        return Stream.of(
                Arguments.of("Latin-1 byte", latin1,
                        "environments/bad.yaml:2:12: file is not valid UTF-8 (byte 0xE9 at offset 21); save it as UTF-8"),
                Arguments.of("file over 1 MiB", huge,
                        "environments/bad.yaml: file is 1048577 bytes; spec files may be at most 1048576 bytes (1 MiB)"),
                Arguments.of("UTF-16 with a byte order mark", utf16,
                        "environments/bad.yaml:1:1: file is not valid UTF-8 (byte 0xFE at offset 0)"));
    }

    private static Arguments input(String reason, String yaml, String expectedPrefix) {
        return Arguments.of(reason, yaml.getBytes(StandardCharsets.UTF_8), expectedPrefix);
    }

    private static String wide() {
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            y.append('k').append(i).append(": 1\n");
        }
        return y.toString();
    }

    /** Nine levels of nine aliases each: 9^5 nodes from a few hundred bytes. */
    private static String bomb() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level <= 5; level++) {
            y.append("a").append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            y.append("]\n");
        }
        return y.toString();
    }
}
