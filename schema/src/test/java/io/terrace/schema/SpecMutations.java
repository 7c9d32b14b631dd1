package io.terrace.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Inputs for fuzzing the spec loader: arbitrary bytes, and the example specs mutated with what
 * breaks YAML loaders (deleted and duplicated keys and lines, deep nesting, anchors and alias
 * bombs, huge scalars, values of the wrong type, tabs, byte order marks, invalid UTF-8, YAML
 * tags, merge keys, timestamps and odd numbers), one to four mutations per input.
 */
final class SpecMutations {

    private static final String[] WRONG_VALUES = {
        "[1, 2]", "{a: b}", "123", "-1", "1e309", "0x1F", "0o17", ".nan", "-.inf", "true", "null", "~", "''", "\"\"",
        "2026-12-04", "2026-12-04T10:00:00Z", "!!binary aGVsbG8=", "!!int x", "!!float abc", "!!set {a, b}",
        "!!omap [a: 1]", "1e999999999", "!!int 1e5", "!!bool maybe", "!!float 0x10", "!!int 0xZZ", "!!null x", "&x [*x]", "*missing", "|\n  block\n  text", ">-\n  folded", "\"\\uD800\"", "'\u202Eevil'",
        "\"\\x00\"", "9223372036854775808", "-9223372036854775809", "0.0000000000000000000000001", "{? [a]: b}",
        "[[[[[[[[[[]]]]]]]]]]", "{<<: {a: 1}}", "!secret x", "!<tag:yaml.org,2002:str> x"};

    private final List<byte[]> seeds;

    private SpecMutations(List<byte[]> seeds) {
        this.seeds = seeds;
    }

    /** Seeded with the example environments of the repository's {@code specs/} folder. */
    static SpecMutations ofExamples() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("specs/environments"))) {
            p = p.getParent();
        }
        try (Stream<Path> files = Files.list(p.resolve("specs/environments"))) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
            return new SpecMutations(seeds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One input: a tenth arbitrary bytes, the rest a mutated example. */
    byte[] next(Random random) {
        if (random.nextInt(10) == 0) {
            byte[] b = new byte[random.nextInt(2048)];
            random.nextBytes(b);
            return b;
        }
        String text = new String(seeds.get(random.nextInt(seeds.size())), StandardCharsets.UTF_8);
        int n = 1 + random.nextInt(4);
        byte[] out = null;
        for (int i = 0; i < n; i++) {
            if (out != null) {
                text = new String(out, StandardCharsets.UTF_8);
            }
            out = mutate(text, random);
        }
        return out;
    }

    private static byte[] mutate(String text, Random random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        switch (random.nextInt(16)) {
            case 0 -> lines.remove(at);
            case 1 -> lines.add(at, line);
            case 2 -> lines.add(random.nextInt(lines.size() + 1), lines.get(random.nextInt(lines.size())));
            case 3 -> lines.set(at, replaceValue(line, WRONG_VALUES[random.nextInt(WRONG_VALUES.length)]));
            case 4 -> lines.set(at, replaceValue(line, "x".repeat(1 << (10 + random.nextInt(11)))));
            case 5 -> lines.set(at, line.replaceFirst("^ +", "\t"));
            case 6 -> lines.add(at, indent(line) + "deep: " + "[".repeat(1 + random.nextInt(5000))
                    + "]".repeat(random.nextInt(5000)));
            case 7 -> lines.add(at, indent(line) + "deep: " + nestedMaps(1 + random.nextInt(200)));
            case 8 -> {
                lines.add(0, "bomb0: &a0 [x, x, x, x, x, x, x, x, x, x]");
                int levels = 1 + random.nextInt(9);
                for (int l = 1; l <= levels; l++) {
                    lines.add(l, "bomb" + l + ": &a" + l + " [" + ("*a" + (l - 1) + ", ").repeat(9) + "*a" + (l - 1) + "]");
                }
            }
            case 9 -> lines.set(at, line.replaceFirst(":", ": &anchor" + random.nextInt(3)).replaceFirst("$", "")
                    + (random.nextBoolean() ? "" : "\n" + indent(line) + "again: *anchor" + random.nextInt(3)));
            case 10 -> {
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, String.join("\n", lines),
                        random.nextBoolean() ? 0 : random.nextInt(Math.max(1, text.length())));
            }
            case 11 -> {
                byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
                if (b.length > 0) {
                    byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0};
                    b[random.nextInt(b.length)] = bad[random.nextInt(bad.length)];
                }
                return b;
            }
            case 12 -> {
                byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
                for (int f = 0, flips = 1 + random.nextInt(8); f < flips && b.length > 0; f++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 13 -> {
                String joined = String.join("\n", lines);
                return joined.substring(0, random.nextInt(joined.length() + 1)).getBytes(StandardCharsets.UTF_8);
            }
            case 14 -> lines.add(at, indent(line) + "<<: " + (random.nextBoolean() ? "{name: merged}" : "*anchor0"));
            default -> {
                String key = line.contains(":") ? line.substring(0, line.indexOf(':') + 1) : "key:";
                lines.add(at, key + " " + WRONG_VALUES[random.nextInt(WRONG_VALUES.length)]);
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static String replaceValue(String line, String value) {
        int colon = line.indexOf(':');
        return colon < 0 ? line + value : line.substring(0, colon + 1) + " " + value;
    }

    private static String indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return line.substring(0, i);
    }

    private static String nestedMaps(int depth) {
        return "{a: ".repeat(depth) + "x" + "}".repeat(depth);
    }

    private static byte[] concat(byte[] bom, String text, int at) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        at = Math.min(at, body.length);
        byte[] out = new byte[body.length + bom.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(bom, 0, out, at, bom.length);
        System.arraycopy(body, at, out, at + bom.length, body.length - at);
        return out;
    }
}
