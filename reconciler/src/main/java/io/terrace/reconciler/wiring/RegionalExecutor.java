package io.terrace.reconciler.wiring;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.Region;

/**
 * Applies each environment's plan in the region the plan names (else the default region), with
 * one {@link PlanExecutor} per region, built once with that region's drivers.
 */
public final class RegionalExecutor implements Executor {

    private final AwsRegions regions;
    private final String hint;
    private final Map<Region, PlanExecutor> executors = new ConcurrentHashMap<>();

    /** @param hint how to name a region when none is known, e.g. "pass --region or set AWS_REGION" */
    public RegionalExecutor(AwsRegions regions, String hint) {
        this.regions = regions;
        this.hint = hint;
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        Optional<Region> region = plan.region().map(Region::of).or(regions::defaultRegion);
        if (region.isEmpty()) {
            return new ApplyResult(plan.name(), plan.revision(), ApplyResult.Outcome.FAILED, List.of(), Duration.ZERO,
                    Optional.of("no region known for " + plan.name() + ": " + hint));
        }
        return executors.computeIfAbsent(region.get(), r -> Drivers.executor(regions.clients(r))).apply(plan, stop);
    }
}
