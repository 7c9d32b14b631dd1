package io.terrace.planner;

import java.util.List;

/** A plan across environments, in name order, as rendered and applied. */
public record Plan(List<EnvironmentPlan> environments) {

    public Plan {
        environments = List.copyOf(environments);
    }

    public Summary summary() {
        return Summary.of(this);
    }

    public boolean hasChanges() {
        return environments.stream().anyMatch(EnvironmentPlan::hasChanges);
    }

    public boolean hasErrors() {
        return environments.stream().anyMatch(EnvironmentPlan::invalid);
    }

    /** Totals shown at the foot of every rendering. */
    public record Summary(int create, int update, int replace, int delete, int blocked, int invalid) {
        static Summary of(Plan plan) {
            int[] n = new int[6];
            for (EnvironmentPlan env : plan.environments()) {
                for (Change c : env.changes()) {
                    switch (c.action()) {
                        case CREATE -> n[0]++;
                        case UPDATE -> n[1]++;
                        case REPLACE -> n[2]++;
                        case DELETE -> n[3]++;
                        case NO_OP -> { }
                    }
                    if (c.blocked() && !c.deferred()) {
                        n[4]++;
                    }
                }
                if (env.invalid()) {
                    n[5]++;
                }
            }
            return new Summary(n[0], n[1], n[2], n[3], n[4], n[5]);
        }
    }
}
