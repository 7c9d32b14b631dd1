package io.terrace.reconciler.daemon;

import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.schema.SpecSet;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Computes a plan from specs, revisions and live state: {@link Planner#plan} in production. */
@FunctionalInterface
public interface PlanFunction {

    Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed);

    /**
     * Plans with maintenance windows checked at {@code windowsAt} (empty: not enforced, a sync
     * asked with {@code ?now=true}). A planner that knows no windows plans as {@link #plan}.
     */
    default Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed,
            Optional<Instant> windowsAt) {
        return plan(specs, revisions, observed);
    }

    static PlanFunction planner(PlanOptions options) {
        return new PlanFunction() {
            @Override
            public Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed) {
                return new Planner(options).plan(specs, revisions, observed);
            }

            @Override
            public Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed,
                    Optional<Instant> windowsAt) {
                return new Planner(options.at(windowsAt)).plan(specs, revisions, observed);
            }
        };
    }
}
