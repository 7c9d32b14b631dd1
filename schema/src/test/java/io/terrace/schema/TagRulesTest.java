package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spec tags follow AWS's rules (keys 1 to 128 characters, values 0 to 256, letters, digits,
 * spaces and {@code _ . : / = + - @}) and fit in the {@code terrace:tags} tag; each broken rule is
 * one diagnostic at the key or value that breaks it. The tags block starts on line 15.
 */
class TagRulesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                ok("letters of any script, digits and the allowed punctuation",
                        "  kostenstelle-ü: Zürich 7\n  team/owner: a.b_c:d=e+f-g@h\n"),
                ok("an empty value", "  owner: \"\"\n"),
                ok("a key of 128 characters and a value of 256", "  " + "k".repeat(128) + ": " + "v".repeat(256) + "\n"),
                ok("forty tags", tags(40, 3)),
                bad("a value with a character AWS refuses", "  owner: \"a!b\"\n",
                        "16:10: tags.owner is 'a!b'; expected up to 256 letters, digits, spaces and _ . : / = + - @ "
                                + "(what AWS allows in a tag value)"),
                bad("a value with a comma", "  owner: \"a,b\"\n", "16:10: tags.owner is 'a,b'; expected up to 256"),
                bad("a value of 257 characters", "  owner: " + "v".repeat(257) + "\n",
                        "16:10: tags.owner is 257 characters long; at most 256 allowed"),
                bad("a key of 129 characters", "  " + "k".repeat(129) + ": x\n",
                        "16:3: tag key '" + "k".repeat(60) + "…' (129 characters) is 129 characters long; AWS allows "
                                + "1 to 128"),
                bad("an empty key", "  \"\": x\n", "16:3: tag key '' is 0 characters long; AWS allows 1 to 128"),
                bad("a key with a character AWS refuses", "  cost#centre: x\n",
                        "16:3: tag key 'cost#centre' has a character AWS does not allow in a tag key; use letters, "
                                + "digits, spaces and _ . : / = + - @"),
                bad("a key in the reserved aws: prefix", "  AWS:owner: x\n",
                        "16:3: tag key 'AWS:owner' uses the reserved prefix 'aws:'"),
                bad("forty-one tags", tags(41, 3), "16:3: tags has 41 entries; at most 40 allowed"),
                bad("keys too long together to be recorded", tags(3, 100),
                        "15:1: tags: the keys take 302 characters once joined in the terrace:tags tag (sorted, "
                                + "separated by /); at most 256 fit, so use fewer or shorter keys"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tagRules(String reason, String tagLines, String expected) {
        String yaml = BoundedDiagnosticsTest.env("acme", "www.acme.example") + "tags:\n" + tagLines;
        SpecResult result = SpecFixtures.load("acme.yaml", yaml);
        if (expected.isEmpty()) {
            SpecFixtures.valid(result);
            return;
        }
        List<String> lines = SpecFixtures.diagnostics(result).stream().map(Diagnostic::toString).toList();
        assertEquals(1, lines.size(), () -> "one diagnostic, got " + lines);
        String line = lines.get(0);
        String prefix = "environments/acme.yaml:" + expected;
        assertEquals(prefix, line.substring(0, Math.min(line.length(), prefix.length())), line);
    }

    private static Arguments ok(String reason, String tagLines) {
        return Arguments.of(reason, tagLines, "");
    }

    private static Arguments bad(String reason, String tagLines, String expected) {
        return Arguments.of(reason, tagLines, expected);
    }

    /** {@code count} tags whose keys are {@code keyLength} characters long. */
    private static String tags(int count, int keyLength) {
        return IntStream.range(0, count)
                .mapToObj(i -> "  " + String.format("k%02d", i) + "x".repeat(keyLength - 3) + ": x\n")
                .collect(Collectors.joining());
    }
}
