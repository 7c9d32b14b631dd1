package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Splitting an observation by environment once gives what narrowing it to each environment gives. */
class ObservedStatePerEnvironmentTest {

    @Test
    void theSplitEqualsNarrowingToEachEnvironmentRegionsAlarmsAndRefusalsIncluded() {
        SpecGenerator generator = new SpecGenerator(7);
        List<ObservedResource> live = new ArrayList<>();
        Map<String, String> regions = new HashMap<>();
        Map<String, List<String>> alarms = new HashMap<>();
        Map<String, String> refusals = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String name = String.format("client%02d-production", i);
            LiveState.of(DesiredState.compile(generator.next(name), "r" + i)).resources().values().forEach(live::add);
            regions.put(name, i % 2 == 0 ? "eu-west-1" : "us-east-1");
            if (i % 3 == 0) {
                alarms.put(name, List.of("terrace-" + name + "-disk", "terrace-" + name + "-5xx"));
            }
            if (i % 4 == 1) {
                refusals.put(name, "database.restore: the snapshot belongs to another client");
            }
        }
        // Environments known only by their region, their alarms or a refusal (nothing live).
        regions.put("region-only", "eu-central-1");
        alarms.put("alarms-only", List.of("terrace-alarms-only-disk"));
        refusals.put("refused-only", "database.restore: refused");
        ObservedState observed = ObservedState.of(live).inRegions(regions).withAlarms(alarms).withRefusals(refusals);

        Map<String, ObservedState> split = observed.perEnvironment();

        Set<String> names = new TreeSet<>(observed.environments());
        names.addAll(regions.keySet());
        names.addAll(alarms.keySet());
        names.addAll(refusals.keySet());
        assertEquals(names, new TreeSet<>(split.keySet()), "one entry per environment with anything observed");
        assertEquals(15, names.size());
        for (String env : names) {
            assertEquals(observed.only(Set.of(env)), split.get(env), env);
        }
        assertEquals(observed.only(Set.of("absent")), ObservedState.EMPTY, "an environment not in the split");
        assertFalse(split.containsKey("absent"));
        assertEquals(live.size(), split.values().stream().mapToInt(o -> o.resources().size()).sum(),
                "every resource in exactly one environment");
    }
}
