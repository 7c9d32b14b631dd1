package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

    public RegionalAws(AwsRegions regions, RepositoryState repository) {
        this.regions = regions;
        this.repository = repository;
    }

    @Override
    public ObservedState observe(Collection<String> environments) {
        if (environments.isEmpty()) {
            return ObservedState.EMPTY;
        }
        AwsRegions.Observation o = regions.observe(specs(), environments);
        lastSeen.putAll(o.regions());
        return o.state();
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        Optional<Region> region = specs().find(plan.name())
                .filter(SpecResult.Valid.class::isInstance)
                .map(r -> regions.regionOf(((SpecResult.Valid) r).spec()))
                .or(() -> Optional.ofNullable(lastSeen.get(plan.name())))
                .or(regions::defaultRegion);
        if (region.isEmpty()) {
            return new ApplyResult(plan.name(), plan.revision(), ApplyResult.Outcome.FAILED, List.of(), Duration.ZERO,
                    Optional.of("no region known for " + plan.name() + ": set AWS_REGION"));
        }
        return regions.executor(region.get()).apply(plan, stop);
    }

    /** Environments with live Terrace resources in the regions of the specs and the default region. */
    public Set<String> discover() {
        Set<Region> where = new TreeSet<>(java.util.Comparator.comparing(Region::id));
        specs().results().stream().filter(SpecResult.Valid.class::isInstance)
                .forEach(r -> where.add(regions.regionOf(((SpecResult.Valid) r).spec())));
        regions.defaultRegion().ifPresent(where::add);
        Set<String> found = new TreeSet<>();
        for (Region r : where) {
            found.addAll(regions.observer(r).discoverEnvironments());
        }
        return found;
    }

    private SpecSet specs() {
        return repository.snapshot().map(SpecSnapshot::specs).orElse(new SpecSet(List.of(), Optional.empty()));
    }
}
