package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example repository in specs/ is valid and covers the combinations the docs promise. */
class ExampleSpecsTest {

    static Path specs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("specs/environments"))) {
                return dir.resolve("specs");
            }
        }
        throw new IllegalStateException("no specs/ folder above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyExampleEnvironmentIsValid() {
        SpecSet set = SpecRepository.load(specs());
        assertTrue(set.valid(), () -> "invalid examples: " + set.diagnostics());
        assertTrue(set.results().size() >= 5, "at least five examples");
        assertFalse(set.pauseReason().isPresent(), "specs/ must not ship a PAUSE file");
    }

    @Test
    void examplesCoverEveryTierAndTheInterestingCombinations() {
        List<EnvironmentSpec> specs = SpecRepository.load(specs()).results().stream()
                .map(r -> ((SpecResult.Valid) r).spec()).toList();
        assertTrue(specs.stream().anyMatch(s -> s.tier() == Tier.DEVELOPER && s.stage() == Stage.DEVELOPMENT));
        assertTrue(specs.stream().anyMatch(s -> s.tier() == Tier.STANDARD && s.stage() == Stage.STAGING));
        assertTrue(specs.stream().anyMatch(s -> s.tier() == Tier.BUSINESS && s.stage() == Stage.PRODUCTION
                && s.availability().isMultiAz()));
        assertTrue(specs.stream().anyMatch(s -> s.tier() == Tier.BUSINESS && s.stage() == Stage.STAGING));
        assertTrue(specs.stream().anyMatch(s -> s.tier() == Tier.ENTERPRISE && s.stage() == Stage.PRODUCTION
                && !s.cdn().enabled()));
        assertEquals(1, specs.stream().filter(s -> s.drift() == DriftMode.REPORT).count());
    }
}
