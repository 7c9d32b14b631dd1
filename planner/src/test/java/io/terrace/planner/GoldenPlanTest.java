package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each directory under {@code src/test/resources/golden/} is a spec repository
 * ({@code environments/*.yaml}, maybe a {@code PAUSE} file) with the live state it is planned
 * against ({@code observed.json}) and the expected plan as text ({@code plan.txt}) and JSON
 * ({@code plan.json}). {@code case.properties} holds {@code reason} (one line: what the case shows)
 * and optionally {@code allowDestroy=true}. Every environment's revision is {@code c0ffee1}.
 *
 * <p>After an intended change to plans, regenerate the expected files and review the diff by eye:
 * {@code mvn -o -q -pl planner -am test -Dtest=GoldenPlanTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dterrace.golden.update=true}, then {@code git diff planner/src/test/resources/golden}.
 */
class GoldenPlanTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("terrace.golden.update");
    static final String REVISION = "c0ffee1";

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planMatchesGoldenFiles(String name) throws IOException {
        Path dir = GOLDEN.resolve(name);
        Properties props = properties(dir);
        Plan plan = plan(dir, props);
        check(dir.resolve("plan.txt"), new TextPlanRenderer().render(plan), props);
        check(dir.resolve("plan.json"), new JsonPlanRenderer().render(plan), props);
    }

    @Test
    void thereAreEnoughCasesAndEachSaysWhatItShows() throws IOException {
        List<String> all = cases().toList();
        assertTrue(all.size() >= 12, "at least 12 golden cases: " + all);
        for (String c : all) {
            assertTrue(!properties(GOLDEN.resolve(c)).getProperty("reason", "").isBlank(), c + ": case.properties reason");
        }
    }

    static Plan plan(Path dir, Properties props) throws IOException {
        SpecSet specs = SpecRepository.load(dir);
        Path observedFile = dir.resolve("observed.json");
        ObservedState observed = Files.exists(observedFile) ? ObservedStateJson.read(observedFile) : ObservedState.EMPTY;
        Map<String, String> revisions = new HashMap<>();
        specs.results().forEach(r -> revisions.put(r.name(), REVISION));
        observed.environments().forEach(e -> revisions.put(e, REVISION));
        PlanOptions options = new PlanOptions(Boolean.parseBoolean(props.getProperty("allowDestroy", "false")));
        return new Planner(options).plan(specs, revisions, observed);
    }

    private static void check(Path expectedFile, String actual, Properties props) throws IOException {
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expectedFile), expectedFile + " missing: run with -Dterrace.golden.update=true");
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual,
                expectedFile + " (" + props.getProperty("reason") + ")");
    }

    private static Properties properties(Path dir) throws IOException {
        Properties p = new Properties();
        Path f = dir.resolve("case.properties");
        if (Files.exists(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }
}
