package io.terrace.reconciler.daemon;

import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import java.util.Map;
import java.util.Optional;

/**
 * The plan of an environment's newest pass, with what its spec says of where it lives: the
 * dashboard's resource tree, pending diff, client and region come from here.
 *
 * <p>It is kept for every environment until the next pass, so it keeps only what the dashboard
 * shows ({@link #shown}): each change's address, type, action, changed attributes, reason and
 * blocked reason, and the live identifier of what it observed; not the desired and observed
 * attributes of every resource, which no reader of it needs.
 *
 * @param file    the spec file, as the repository names it
 * @param applied when the pass applied the plan: each step's outcome by address
 *                ({@code succeeded}, {@code failed}, {@code skipped}); the live identifiers of what
 *                it created are read by the next pass
 */
public record LastPlan(Optional<EnvironmentPlan> plan, Optional<String> client, Optional<String> region,
                       Optional<String> file, Map<String, String> applied) {

    public static final LastPlan NONE = new LastPlan(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Map.of());

    public LastPlan {
        plan = plan.map(LastPlan::shown);
        applied = Map.copyOf(applied);
    }

    /** The plan without the resources' desired state and with only the address, type and id of what was observed. */
    static EnvironmentPlan shown(EnvironmentPlan p) {
        return new EnvironmentPlan(p.name(), p.tier(), p.stage(), p.revision(), p.pausedReason(),
                p.changes().stream().map(c -> new Change(c.address(), c.type(), c.action(), c.attributes(),
                        Optional.empty(), c.observed().map(o -> new ObservedResource(o.address(), o.type(), o.id(),
                                Map.of(), Map.of())), c.reason(), c.blockedBy())).toList(),
                p.waves(), p.diagnostics(), p.region());
    }
}
