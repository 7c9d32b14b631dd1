package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import java.util.Optional;

/**
 * The plan of an environment's newest pass, with what its spec says of where it lives: the
 * dashboard's resource tree, pending diff, client and region come from here.
 *
 * @param file the spec file, as the repository names it
 */
public record LastPlan(Optional<EnvironmentPlan> plan, Optional<String> client, Optional<String> region,
                       Optional<String> file) {

    public static final LastPlan NONE = new LastPlan(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());
}
