package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import java.util.Optional;

/**
 * The plan of an environment's newest pass, with what its spec says of where it lives: the
 * dashboard's resource tree, pending diff, client and region come from here.
 *
 * @param file    the spec file, as the repository names it
 * @param applied when the pass applied the plan: each step's outcome by address
 *                ({@code succeeded}, {@code failed}, {@code skipped}); the live identifiers of what
 *                it created are read by the next pass
 */
public record LastPlan(Optional<EnvironmentPlan> plan, Optional<String> client, Optional<String> region,
                       Optional<String> file, java.util.Map<String, String> applied) {

    public static final LastPlan NONE = new LastPlan(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), java.util.Map.of());

    public LastPlan {
        applied = java.util.Map.copyOf(applied);
    }
}
