package io.terrace.reconciler.daemon;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.EnvironmentFailover;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Failover;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.SharedDetails;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.wiring.RegionalExecutor;
import io.terrace.reconciler.aws.network.OriginSecretRotation;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.regions.Region;

/**
 * The daemon's AWS side across regions, keeping no region of its own: each environment is
 * observed in its spec's region, or, without a valid spec, where {@link AwsRegions#discover} finds
 * it live, with one batched sweep per region. The observed state names that region, the planner
 * puts it on the plan, and the plan is applied there ({@link RegionalExecutor}).
 */
public final class RegionalAws implements Observer, Executor, OriginSecretRotator {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("terrace.daemon");
    private static final java.time.Duration FAILOVER_TIMEOUT = java.time.Duration.ofMinutes(30);
    private static final java.time.Duration FAILOVER_POLL = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration ROTATION_TIMEOUT = java.time.Duration.ofMinutes(45);
    private static final java.time.Duration ROTATION_POLL = java.time.Duration.ofSeconds(5);

    private final AwsRegions regions;
    private final RepositoryState repository;
    private final RegionalExecutor executor;

    public RegionalAws(AwsRegions regions, RepositoryState repository) {
        this.regions = regions;
        this.executor = new RegionalExecutor(regions);
        this.repository = repository;
    }

    /**
     * One batched observe per region concerned. Environments whose spec file is gone are looked
     * for by their tag, in the specs' regions and the default region; one found nowhere has
     * nothing live to observe. One whose spec is invalid is not observed: its pass holds it
     * before it would observe.
     */
    @Override
    public ObservedState observe(Collection<String> environments) {
        return observe(environments, false);
    }

    @Override
    public ObservedState observeFresh(Collection<String> environments) {
        return observe(environments, true);
    }

    @Override
    public void forgetDetails(String environment) {
        regions.forgetDetails(environment);
    }

    /**
     * The region of the environment's valid spec: an observe reads each region's listings once,
     * however few of its environments it wants. An environment without one (its file deleted, or
     * invalid) is a unit of its own, observed where it is found.
     */
    @Override
    public String sweepUnit(String environment) {
        return validSpec(environment).map(spec -> regions.regionOf(spec).id()).orElse(environment);
    }

    @Override
    public void shareDetails(SharedDetails shared) {
        regions.shareDetails(shared);
    }

    private ObservedState observe(Collection<String> environments, boolean fresh) {
        SpecSet specs = specs();
        Map<String, Region> placed = new TreeMap<>();
        List<String> unplaced = new ArrayList<>();
        for (String env : environments) {
            Optional<SpecResult> spec = specs.find(env);
            if (spec.orElse(null) instanceof SpecResult.Valid valid) {
                placed.put(env, regions.regionOf(valid.spec()));
            } else if (spec.isEmpty()) {
                unplaced.add(env);
            }
        }
        if (!unplaced.isEmpty()) {
            Map<String, Region> found = discover(specs, unplaced::contains);
            unplaced.stream().filter(found::containsKey).forEach(env -> placed.put(env, found.get(env)));
        }
        return regions.restoreChecked(specs, placed, regions.observe(placed, fresh));
    }

    /** In the region the plan names. */
    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        return executor.apply(plan, stop);
    }

    @Override
    public boolean leavesValuesForNextPass(EnvironmentPlan plan) {
        return executor.leavesValuesForNextPass(plan);
    }

    /**
     * Fails an environment over in its spec's region ({@link EnvironmentFailover}), logging each
     * step; an environment without a valid spec is refused.
     */
    public List<String> failover(String env, Failover.Request request) {
        if (!(specs().find(env).orElse(null) instanceof SpecResult.Valid valid)) {
            throw new Failover.Refused(env + ": no valid spec, so no region to fail it over in");
        }
        return new EnvironmentFailover(regions.clients(regions.regionOf(valid.spec())),
                line -> LOG.atInfo().setMessage("failover-progress").addKeyValue("env", env).addKeyValue("step", line).log(),
                FAILOVER_TIMEOUT, FAILOVER_POLL).failover(env, request);
    }

    /** The environment's origin secret in its spec's region: one {@code DescribeSecret}. */
    @Override
    public Optional<Described> describe(String env) {
        return validSpec(env).flatMap(spec -> OriginSecrets.describe(
                regions.clients(regions.regionOf(spec)).secretsManager, env))
                .map(d -> new Described(OriginSecrets.changed(d), OriginSecrets.rotating(d)));
    }

    /** Rotates the environment's origin secret in its spec's region ({@link OriginSecretRotation}), logging each step. */
    @Override
    public void rotate(String env) {
        EnvironmentSpec spec = validSpec(env).orElseThrow(() -> new IllegalStateException(
                env + ": no valid spec, so no region to rotate its origin secret in"));
        new OriginSecretRotation(regions.clients(regions.regionOf(spec)),
                line -> LOG.atInfo().setMessage("origin-secret-rotation-progress").addKeyValue("env", env)
                        .addKeyValue("step", line).log(),
                ROTATION_TIMEOUT, ROTATION_POLL).rotate(env);
    }

    private Optional<EnvironmentSpec> validSpec(String env) {
        return specs().find(env).filter(SpecResult.Valid.class::isInstance).map(r -> ((SpecResult.Valid) r).spec());
    }

    /** Environments with live Terrace resources in the regions of the specs and the default region. */
    public Set<String> discover() {
        return discover(specs(), env -> false).keySet();
    }

    private Map<String, Region> discover(SpecSet specs, Predicate<String> placing) {
        return regions.discover(specs.results().stream()
                .filter(SpecResult.Valid.class::isInstance)
                .map(r -> regions.regionOf(((SpecResult.Valid) r).spec()))
                .toList(), placing);
    }

    private SpecSet specs() {
        return repository.snapshot().map(SpecSnapshot::specs).orElse(new SpecSet(List.of(), Optional.empty()));
    }
}
