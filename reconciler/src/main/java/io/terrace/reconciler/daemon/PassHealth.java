package io.terrace.reconciler.daemon;

import io.terrace.drift.EnvironmentHealth;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.schema.SpecResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The health of an environment after a pass, from what the pass observed
 * ({@link EnvironmentHealth#assess}); unknown when it observed nothing (an invalid spec, a
 * failed observe). The observation was taken before the apply, so the resources the apply just
 * created, updated or deleted are left out: their drivers waited for them, and the next pass
 * reads them afresh.
 */
final class PassHealth {

    private PassHealth() {}

    static EnvironmentHealth of(PassOutcome o, Instant now) {
        if (o.spec().orElse(null) instanceof SpecResult.Invalid) {
            return EnvironmentHealth.unknown("not observed: the spec is invalid");
        }
        if (o.plan().isEmpty()) {
            return EnvironmentHealth.unknown("not observed" + o.error().map(e -> ": " + e).orElse(""));
        }
        return of(o.plan().get(), o.observed().environment(o.environment()),
                o.observed().alarms(o.environment()), o.applied(), now);
    }

    /** The health by a plan, the live resources it was made from, and what an apply of it did. */
    static EnvironmentHealth of(EnvironmentPlan plan, List<ObservedResource> observed, List<String> alarms,
                                Optional<ApplyResult> applied, Instant now) {
        Set<String> done = applied.stream().flatMap(r -> r.steps().stream())
                .filter(s -> s.status() == ApplyResult.Status.SUCCEEDED)
                .map(ApplyResult.Step::address)
                .collect(Collectors.toSet());
        List<Resource> desired = plan.changes().stream()
                .map(Change::desired).flatMap(Optional::stream)
                .filter(r -> !done.contains(r.address()))
                .toList();
        List<ObservedResource> live = observed.stream().filter(r -> !done.contains(r.address())).toList();
        return EnvironmentHealth.assess(desired, live, alarms, now);
    }
}
