package io.terrace.reconciler.wiring;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.Refusal;
import io.terrace.reconciler.engine.StepListener;
import io.terrace.reconciler.engine.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.Region;

/**
 * Applies each environment's plan in the region the plan names, with one {@link PlanExecutor} per
 * region, built once with that region's drivers. The planner decides the region (where the
 * environment was observed, else its spec's); a plan that names none is refused before any AWS
 * call, never applied in a default region.
 */
public final class RegionalExecutor implements Executor {

    private final AwsRegions regions;
    private final Map<Region, PlanExecutor> executors = new ConcurrentHashMap<>();

    public RegionalExecutor(AwsRegions regions) {
        this.regions = regions;
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        return apply(plan, stop, StepListener.NONE);
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop, StepListener steps) {
        if (plan.region().isEmpty()) {
            Refusal refusal = Refusal.of(plan).orElseGet(() -> new Refusal(ApplyResult.Outcome.FAILED,
                    "the plan of " + plan.name() + " names no region (no valid spec, and not found live)"));
            return new ApplyResult(plan.name(), plan.revision(), refusal.outcome(), List.of(), Duration.ZERO,
                    Optional.of(refusal.message()));
        }
        Region region = Region.of(plan.region().get());
        return executors.computeIfAbsent(region, r -> Drivers.executor(regions.clients(r))).apply(plan, stop, steps);
    }

    @Override
    public boolean leavesValuesForNextPass(EnvironmentPlan plan) {
        return PlanExecutor.valuesLeftForNextPass(plan);
    }
}
