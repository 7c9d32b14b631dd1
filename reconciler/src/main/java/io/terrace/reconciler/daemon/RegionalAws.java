package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.wiring.RegionalExecutor;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.Region;

/**
 * The daemon's AWS side across regions: each environment is observed and applied in its spec's
 * region, with one batched sweep per region ({@link AwsRegions}). An environment whose spec is
 * gone is applied where it was last found live.
 */
public final class RegionalAws implements Observer, Executor {

    private final AwsRegions regions;
    private final RepositoryState repository;
    private final Map<String, Region> lastSeen = new ConcurrentHashMap<>();
    private final RegionalExecutor executor;

    public RegionalAws(AwsRegions regions, RepositoryState repository) {
        this.regions = regions;
        this.executor = new RegionalExecutor(regions, "set AWS_REGION");
        this.repository = repository;
    }

    /**
     * One batched observe per region concerned. Environments without a spec are looked for where
     * they were last found (the sweep's discovery records it), else in the default region.
     */
    @Override
    public ObservedState observe(Collection<String> environments) {
        Map<String, Region> placed = new TreeMap<>();
        for (String env : environments) {
            region(env).ifPresent(r -> placed.put(env, r));
        }
        ObservedState state = regions.observe(placed);
        state.environments().forEach(env -> lastSeen.put(env, placed.get(env)));
        return state;
    }

    /** In the region on the plan; a plan that names none is placed as {@link #observe} places it. */
    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        EnvironmentPlan placed = plan.region().isPresent() ? plan
                : region(plan.name()).map(r -> plan.inRegion(r.id())).orElse(plan);
        return executor.apply(placed, stop);
    }

    /** Environments with live Terrace resources in the regions of the specs and the default region. */
    public Set<String> discover() {
        List<Region> specRegions = specs().results().stream()
                .filter(SpecResult.Valid.class::isInstance)
                .map(r -> regions.regionOf(((SpecResult.Valid) r).spec()))
                .toList();
        Map<String, Region> found = regions.discover(specRegions);
        found.forEach(lastSeen::putIfAbsent);
        return found.keySet();
    }

    /** The region an environment is applied in (its apply lease is that region's). */
    public Optional<Region> regionOf(String environment) {
        return region(environment);
    }

    /** The spec's region; for an environment without a valid spec, where it was last found live. */
    private Optional<Region> region(String env) {
        return specs().find(env)
                .filter(SpecResult.Valid.class::isInstance)
                .map(r -> regions.regionOf(((SpecResult.Valid) r).spec()))
                .or(() -> Optional.ofNullable(lastSeen.get(env)))
                .or(regions::defaultRegion);
    }

    private SpecSet specs() {
        return repository.snapshot().map(SpecSnapshot::specs).orElse(new SpecSet(List.of(), Optional.empty()));
    }
}
