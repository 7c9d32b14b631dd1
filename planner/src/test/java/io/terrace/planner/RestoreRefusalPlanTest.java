package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A refusal read from live state (another client's restore source) makes the environment's plan an error. */
class RestoreRefusalPlanTest {

    private static final String WHY = "database.restoreFrom 'globex-nightly' is a snapshot of "
            + "client 'globex', not 'acme'; a database is restored only from the same client's snapshots";

    @Test
    void aRefusedEnvironmentPlansNothingAndReportsTheFileAndKey() {
        EnvironmentSpec spec = SpecFixture.highlyAvailable("acme").build();
        SpecSet specs = new SpecSet(List.of(new SpecResult.Valid("acme", "environments/acme.yaml", spec)), Optional.empty());
        ObservedState refused = ObservedState.EMPTY.withRefusals(Map.of("acme", WHY));

        EnvironmentPlan plan = new Planner(PlanOptions.DEFAULT).plan(specs, Map.of(), refused).environments().get(0);

        assertTrue(plan.invalid());
        assertEquals(List.of(), plan.changes());
        assertEquals("environments/acme.yaml: " + WHY, plan.diagnostics().get(0).toString());
        assertEquals(Optional.of(WHY), refused.only(Set.of("acme")).refusal("acme"), "kept when narrowed");
        assertFalse(new Planner(PlanOptions.DEFAULT).plan(specs, Map.of(), ObservedState.EMPTY).environments().get(0)
                .invalid());
    }
}
