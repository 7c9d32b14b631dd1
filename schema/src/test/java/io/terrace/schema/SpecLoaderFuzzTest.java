package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec loader's fuzzing corpus and long campaign (the short property run of every build is
 * {@link SpecLoaderFuzzProperties}). Every file under {@code src/test/resources/fuzz/} is an input
 * that once broke {@link FuzzOracle}'s contract and runs as a regression in every build. With
 * {@code -Dterrace.fuzz.minutes=N} ({@code scripts/fuzz N}) the campaign mutates the example specs
 * for N minutes, saves each input that breaks the contract to {@code target/fuzz-findings/} (copy
 * it into the corpus with the fix), and prints the inputs tried per second.
 */
class SpecLoaderFuzzTest {

    static Stream<Path> corpus() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("README.md")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everySavedInputGivesOnlyDiagnostics(Path input) throws IOException {
        Optional<String> problem = FuzzOracle.problem(Files.readAllBytes(input));
        assertEquals(Optional.empty(), problem, input.toString());
    }

    @Test
    void theCorpusIsNotEmpty() throws IOException {
        assertFalse(corpus().toList().isEmpty());
    }

    @Test
    @EnabledIfSystemProperty(named = "terrace.fuzz.minutes", matches = "\\d+(\\.\\d+)?")
    void campaign() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("terrace.fuzz.minutes"));
        long seed = Long.getLong("terrace.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        SpecMutations mutations = SpecMutations.ofExamples();
        Path findings = Path.of("target/fuzz-findings");
        Files.createDirectories(findings);
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        long started = System.nanoTime();
        long tried = 0;
        List<String> found = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            byte[] input = mutations.next(random);
            tried++;
            Optional<String> problem = FuzzOracle.problem(input);
            if (problem.isPresent()) {
                String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input), 0, 8)
                        + ".yaml";
                Files.write(findings.resolve(name), input);
                found.add(name + ": " + problem.get());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("terrace fuzz: seed %d, %d inputs in %.0f s (%.0f inputs/s), %d breaking the contract%n",
                seed, tried, seconds, tried / seconds, found.size());
        found.forEach(f -> System.out.println("terrace fuzz: " + findings.resolve(f)));
        assertEquals(List.of(), found, "inputs saved in " + findings.toAbsolutePath());
    }
}
