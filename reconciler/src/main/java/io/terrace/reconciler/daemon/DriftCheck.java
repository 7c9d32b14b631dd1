package io.terrace.reconciler.daemon;

import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import java.util.List;

/**
 * Tells drift from pending changes in one environment's plan. A change is drift only when the
 * live resources were applied at the spec's current revision (the revision tag the executor
 * stamps on the ECS cluster last, after a fully successful apply); otherwise the spec moved and
 * the change is simply pending.
 */
@FunctionalInterface
public interface DriftCheck {

    List<DriftedResource> drifted(EnvironmentPlan plan, ObservedState observed);

    /** The rule above, applied to the plan's own changes. */
    DriftCheck BY_REVISION = (plan, observed) -> {
        String cluster = plan.name() + "/cluster/cluster";
        boolean appliedAtRevision = observed.get(cluster)
                .map(r -> r.tags().get(ObservedResource.REVISION))
                .filter(plan.revision()::equals)
                .isPresent();
        if (!appliedAtRevision) {
            return List.of();
        }
        return plan.actions().stream().map(DriftCheck::drifted).toList();
    };

    private static DriftedResource drifted(Change c) {
        return new DriftedResource(c.address(), c.component().id(), c.type().id(), c.action().id(), c.attributes());
    }
}
