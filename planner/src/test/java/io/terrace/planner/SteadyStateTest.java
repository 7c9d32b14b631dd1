package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Property: a spec planned against the live state its own apply would leave (counts anywhere in
 * their ranges, read-only extras, another revision) plans no changes.
 */
class SteadyStateTest {

    @Test
    void generatedSpecsPlannedAgainstTheirOwnDesiredStateGiveNoChanges() {
        SpecGenerator generator = new SpecGenerator(20_240_601L);
        Random pickRandom = new Random(7);
        List<ToIntFunction<Range>> picks = List.of(Range::min, Range::max,
                r -> r.min() + pickRandom.nextInt(r.max() - r.min() + 1));
        for (int i = 0; i < 500; i++) {
            EnvironmentSpec spec = generator.next("env-" + i);
            ToIntFunction<Range> pick = picks.get(i % picks.size());
            assertNoChanges(spec, pick);
        }
    }

    @Test
    void exampleSpecsPlannedAgainstTheirOwnDesiredStateGiveNoChanges() {
        java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isDirectory(root.resolve("specs/environments"))) {
            root = root.getParent();
        }
        SpecSet examples = io.terrace.schema.SpecRepository.load(root.resolve("specs"));
        org.junit.jupiter.api.Assertions.assertTrue(examples.results().size() >= 5, "example specs found");
        for (SpecResult r : examples.results()) {
            EnvironmentSpec spec = ((SpecResult.Valid) r).spec();
            assertNoChanges(spec, Range::min);
            assertNoChanges(spec, Range::max);
        }
    }

    static void assertNoChanges(EnvironmentSpec spec, ToIntFunction<Range> pick) {
        ObservedState live = LiveState.of(DesiredState.compile(spec, "applied-earlier"), pick);
        SpecSet specs = new SpecSet(List.of(new SpecResult.Valid(spec.name(), "environments/" + spec.name() + ".yaml", spec)),
                Optional.empty());
        Plan plan = new Planner(PlanOptions.DEFAULT).plan(specs, Map.of(spec.name(), "current"), live);
        assertFalse(plan.hasChanges(), () -> spec + "\n" + new TextPlanRenderer().render(plan));
    }
}
