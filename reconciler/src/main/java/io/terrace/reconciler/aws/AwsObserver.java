package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.autoscaling.ScalingTargets;
import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;
import io.terrace.reconciler.aws.monitoring.FiringAlarms;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.Observer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the live state of many environments of one region: each {@link ServiceObserver} sweeps its
 * service once for all of them (BRIEF §8), a few services at a time ({@link Lanes}), their tags
 * from one tagging-API read ({@link ObserveShare}), then scaling targets get the tags of what
 * they scale.
 * The environments' alarms in ALARM come last, in one sweep ({@link FiringAlarms}), as a health
 * signal. A failing sweep fails the whole observe: planning from a partial view would plan creates
 * for resources that exist.
 */
public final class AwsObserver implements Observer {

    private final AwsClients aws;
    private final List<ServiceObserver> observers;
    private final DetailReads details;
    private final int lanes;

    public AwsObserver(AwsClients aws, List<ServiceObserver> observers) {
        this(aws, observers, DetailReads.always());
    }

    /** @param details what {@code observers} keep of their detail reads */
    public AwsObserver(AwsClients aws, List<ServiceObserver> observers, DetailReads details) {
        this(aws, observers, details, Lanes.configured());
    }

    private AwsObserver(AwsClients aws, List<ServiceObserver> observers, DetailReads details, int lanes) {
        this.aws = aws;
        this.observers = List.copyOf(observers);
        this.details = details;
        this.lanes = lanes;
    }

    /** The same observer running its services {@code lanes} at a time (1: one after another). */
    public AwsObserver withLanes(int lanes) {
        return new AwsObserver(aws, observers, details, lanes);
    }

    /**
     * Every observer of {@link AwsDrivers}, reading task definitions through {@code taskDefinitions}
     * and keeping detail reads in {@code details}.
     */
    public AwsObserver(AwsClients aws, TaskDefinitionCache taskDefinitions, DetailReads details) {
        this(aws, AwsDrivers.observers(aws, taskDefinitions, details), details);
    }

    /** Every observer of {@link AwsDrivers}, with a task-definition cache of its own. */
    public AwsObserver(AwsClients aws) {
        this(aws, TaskDefinitionCache.inMemory());
    }

    /** Every observer of {@link AwsDrivers}, reading task definitions through {@code taskDefinitions}. */
    public AwsObserver(AwsClients aws, TaskDefinitionCache taskDefinitions) {
        this(aws, AwsDrivers.observers(aws, taskDefinitions));
    }

    @Override
    public ObservedState observe(Collection<String> environments) {
        Set<String> envs = new TreeSet<>(environments);
        List<ObservedResource> found = new ArrayList<>();
        Map<String, List<String>> alarms = Map.of();
        if (!envs.isEmpty()) {
            ObserveShare share = ObserveShare.covering(envs);
            List<java.util.function.Supplier<List<ObservedResource>>> sweeps = observers.stream()
                    .map(o -> details.carried(share.during(() -> o.observe(envs)))).toList();
            Lanes.run(sweeps, lanes).forEach(found::addAll);
            alarms = FiringAlarms.of(aws.cloudWatch, envs);
        }
        return ObservedState.of(inheritOwnerTags(found)).withAlarms(alarms);
    }

    @Override
    public ObservedState observeFresh(Collection<String> environments) {
        return details.fresh(environments, () -> observe(environments));
    }

    @Override
    public void forgetDetails(String environment) {
        details.forget(environment);
    }

    /**
     * Environments with live Terrace resources in this region, from the tag values of
     * {@code terrace:environment}: finds environments whose spec file was deleted.
     */
    public Set<String> discoverEnvironments() {
        return TaggingSweep.environments(aws.tagging);
    }

    /**
     * Those of {@code environments} that have a regional resource here (one whose ARN names this
     * region): not only a global one (a CloudFront distribution, an S3 bucket) that the tagging
     * API may list in other regions too.
     */
    public Set<String> regionalEnvironments(Collection<String> environments) {
        return TaggingSweep.regional(aws.tagging, environments);
    }

    private static List<ObservedResource> inheritOwnerTags(List<ObservedResource> found) {
        Map<String, ObservedResource> byAddress = new HashMap<>();
        found.forEach(r -> byAddress.put(r.address(), r));
        List<ObservedResource> out = new ArrayList<>(found.size());
        for (ObservedResource r : found) {
            if (r.type() == ResourceType.AUTOSCALING_TARGET && !r.tags().containsKey(ObservedResource.MANAGED_BY)) {
                ObservedResource owner = byAddress.get(ScalingTargets.ownerAddress(r.address()));
                if (owner != null) {
                    r = new ObservedResource(r.address(), r.type(), r.id(), r.attributes(), owner.tags());
                }
            }
            out.add(r);
        }
        return out;
    }
}
