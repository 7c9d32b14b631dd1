package io.terrace.reconciler.daemon;

import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.schema.SpecSet;
import java.util.Map;

/** Computes a plan from specs, revisions and live state: {@link Planner#plan} in production. */
@FunctionalInterface
public interface PlanFunction {

    Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed);

    static PlanFunction planner(PlanOptions options) {
        return new Planner(options)::plan;
    }
}
