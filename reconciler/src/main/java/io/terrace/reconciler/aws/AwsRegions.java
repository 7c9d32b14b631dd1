package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.rds.RestoreSources;
import io.terrace.reconciler.engine.SharedDetails;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Terrace's view of AWS across regions: each environment lives in its spec's region (or the one
 * forced with {@code --region}); clients and observers (with their caches) are built once per
 * region and shared. Environments are observed by region, a few regions at a time ({@link Lanes}),
 * each region in one batched sweep.
 */
public final class AwsRegions implements AutoCloseable {

    /** Live state of many environments, and the region each was found in. */
    public record Observation(ObservedState state, Map<String, Region> regions) {}

    private static final Comparator<Region> BY_ID = Comparator.comparing(Region::id);

    private final Optional<URI> endpoint;
    private final Optional<Region> forced;
    private final AwsCallCounter counter;
    private final TaskDefinitionCache taskDefinitions;
    private final DetailReads details;
    private final Map<Region, AwsClients> clients = new ConcurrentHashMap<>();
    private final Map<Region, AwsObserver> observers = new ConcurrentHashMap<>();

    /**
     * @param endpoint an endpoint override ({@code --endpoint-url}); the SDK also honours
     *                 {@code AWS_ENDPOINT_URL} by itself
     * @param forced   a region for every environment ({@code --region}), else each spec's own
     */
    public AwsRegions(Optional<URI> endpoint, Optional<Region> forced, AwsCallCounter counter) {
        this(endpoint, forced, counter, TaskDefinitionCache.inMemory());
    }

    /** @param taskDefinitions what every region's observer knows of task definitions (ARNs name the region) */
    public AwsRegions(Optional<URI> endpoint, Optional<Region> forced, AwsCallCounter counter,
                      TaskDefinitionCache taskDefinitions) {
        this(endpoint, forced, counter, taskDefinitions, DetailReads.always());
    }

    /** @param details what every region's observer keeps of its detail reads (keyed by environment) */
    public AwsRegions(Optional<URI> endpoint, Optional<Region> forced, AwsCallCounter counter,
                      TaskDefinitionCache taskDefinitions, DetailReads details) {
        this.endpoint = endpoint;
        this.forced = forced;
        this.counter = counter;
        this.taskDefinitions = taskDefinitions;
        this.details = details;
    }

    /** Forgets the kept details of {@code env}: an apply wrote to it. */
    public void forgetDetails(String env) {
        details.forget(env);
    }

    /** Shares the kept details with the other nodes of a cluster ({@link DetailReads#sharedThrough}). */
    public void shareDetails(SharedDetails shared) {
        details.sharedThrough(shared);
    }

    public AwsCallCounter counter() {
        return counter;
    }

    public AwsClients clients(Region region) {
        return clients.computeIfAbsent(region, r -> new AwsClients(r, endpoint, counter));
    }

    public AwsObserver observer(Region region) {
        return observers.computeIfAbsent(region, r -> new AwsObserver(clients(r), taskDefinitions, details));
    }

    /** The region of an environment with this spec. */
    public Region regionOf(EnvironmentSpec spec) {
        return forced.orElseGet(() -> Region.of(spec.region()));
    }

    /** The region for environments without a readable spec: forced, else the SDK's default. */
    public Optional<Region> defaultRegion() {
        if (forced.isPresent()) {
            return forced;
        }
        try {
            return Optional.of(new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }

    /**
     * Observes the environments of {@code specs} (only those named in {@code only}, when not
     * empty) and, in every region concerned, environments that have live Terrace resources but
     * no valid spec (a deleted file), found by their {@code terrace:environment} tag (not looked
     * for when every environment named in {@code only} has a valid spec).
     */
    public Observation observe(SpecSet specs, Collection<String> only) {
        try {
            return sweep(specs, only);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read live AWS state: " + AwsErrors.describe(e), e);
        }
    }

    private Observation sweep(SpecSet specs, Collection<String> only) {
        Set<String> wanted = new TreeSet<>(only);
        Map<String, Region> regionByEnv = new TreeMap<>();
        for (SpecResult r : specs.results()) {
            if (r instanceof SpecResult.Valid v && (wanted.isEmpty() || wanted.contains(v.name()))) {
                regionByEnv.put(v.name(), regionOf(v.spec()));
            }
        }
        Set<String> bySpec = Set.copyOf(regionByEnv.keySet());
        // When every environment asked for has its spec, so its region, there is nothing to look for by tag.
        if (wanted.isEmpty() || !bySpec.containsAll(wanted)) {
            discover(regionByEnv.values(), env -> !bySpec.contains(env)).forEach((env, region) -> {
                if (wanted.isEmpty() || wanted.contains(env)) {
                    regionByEnv.putIfAbsent(env, region);
                }
            });
        }
        return new Observation(restoreChecked(specs, regionByEnv, observeIn(regionByEnv)), regionByEnv);
    }

    /**
     * Every environment with live Terrace resources in {@code regions} and the default region,
     * found by its {@code terrace:environment} tag, with the region it was found in. The tagging
     * API may list a global resource (a CloudFront distribution; on moto, an S3 bucket too) in
     * several regions: an environment found in more than one lives in the first, in region order,
     * where it has a regional resource (else simply the first).
     */
    public Map<String, Region> discover(Collection<Region> regions) {
        return discover(regions, env -> true);
    }

    /**
     * As {@link #discover(Collection)}, looking for the regional resources only of the
     * environments {@code placing} accepts: the others are only named (their region is known
     * otherwise, or not needed), at no extra call.
     */
    public Map<String, Region> discover(Collection<Region> regions, Predicate<String> placing) {
        Set<Region> where = new TreeSet<>(BY_ID);
        where.addAll(regions);
        defaultRegion().ifPresent(where::add);
        Map<String, List<Region>> foundIn = new TreeMap<>();
        try {
            for (Region region : where) {
                observer(region).discoverEnvironments()
                        .forEach(env -> foundIn.computeIfAbsent(env, k -> new ArrayList<>()).add(region));
            }
            Map<String, Region> found = new TreeMap<>();
            foundIn.forEach((env, in) -> found.put(env, in.get(0)));
            Set<String> ambiguous = new TreeSet<>();
            foundIn.forEach((env, in) -> {
                if (in.size() > 1 && placing.test(env)) {
                    ambiguous.add(env);
                }
            });
            for (Region region : where) {
                List<String> here = ambiguous.stream().filter(env -> foundIn.get(env).contains(region)).toList();
                if (!here.isEmpty()) {
                    Set<String> regional = observer(region).regionalEnvironments(here);
                    regional.forEach(env -> found.put(env, region));
                    ambiguous.removeAll(regional);
                }
            }
            return found;
        } catch (SdkException e) {
            throw new IllegalStateException("cannot list Terrace's environments: " + AwsErrors.describe(e), e);
        }
    }

    /**
     * {@code state} with a refusal for every new environment of {@code specs} whose
     * {@code database.restoreFrom} names another client's snapshot ({@link RestoreSources}).
     */
    public ObservedState restoreChecked(SpecSet specs, Map<String, Region> placed, ObservedState state) {
        try {
            return RestoreSources.check(specs, placed, state, this::clients);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read live AWS state: " + AwsErrors.describe(e), e);
        }
    }

    /** One batched observe per region, of the environments placed in it. */
    public ObservedState observe(Map<String, Region> regionByEnv) {
        return observe(regionByEnv, false);
    }

    /** The same, reading every kept detail from AWS again when {@code fresh}. */
    public ObservedState observe(Map<String, Region> regionByEnv, boolean fresh) {
        try {
            details.exchange();
            ObservedState observed = fresh ? details.fresh(regionByEnv.keySet(), () -> observeIn(regionByEnv))
                    : observeIn(regionByEnv);
            details.exchange();
            details.saveIfDue();
            return observed;
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read live AWS state: " + AwsErrors.describe(e), e);
        }
    }

    private ObservedState observeIn(Map<String, Region> regionByEnv) {
        Map<Region, List<String>> byRegion = new TreeMap<>(BY_ID);
        regionByEnv.forEach((env, region) -> byRegion.computeIfAbsent(region, k -> new ArrayList<>()).add(env));
        List<ObservedResource> found = new ArrayList<>();
        Map<String, List<String>> alarms = new TreeMap<>();
        List<java.util.function.Supplier<ObservedState>> perRegion = new ArrayList<>();
        // IAM, S3's buckets, CloudFront and its web ACLs are global: the regions share one read of each.
        ObserveShare share = ObserveShare.of(regionByEnv.keySet());
        byRegion.forEach((region, envs) -> perRegion.add(
                details.carried(share.during(() -> observer(region).observe(envs)))));
        for (ObservedState state : Lanes.run(perRegion, Lanes.configured())) {
            found.addAll(state.resources().values());
            alarms.putAll(state.alarms());
        }
        Map<String, String> regions = new TreeMap<>();
        regionByEnv.forEach((env, region) -> regions.put(env, region.id()));
        return ObservedState.of(found).inRegions(regions).withAlarms(alarms);
    }

    @Override
    public void close() {
        details.save();
        clients.values().forEach(AwsClients::close);
        clients.clear();
        observers.clear();
    }
}
