package io.terrace.reconciler.daemon;

import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.LiveRef;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.engine.SharedDetails;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.schema.EnvironmentSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * An in-memory cloud implementing our own Observer and Executor contracts: resources live in a
 * map keyed by address, applies go wave by wave asking the stop signal before each wave, and the
 * revision tag on the cluster is stamped last after a fully successful apply, as the AWS executor
 * does. Tests reach in to drift resources, fail applies and hold a wave.
 */
final class InMemoryCloud implements Observer, Executor {

    final Map<String, ObservedResource> resources = new ConcurrentHashMap<>();
    final List<ApplyResult> applies = new CopyOnWriteArrayList<>();
    final List<Collection<String>> observes = new CopyOnWriteArrayList<>();
    /** Details an observe kept from an earlier one, by address: {@link #observe} shows them, {@link #observeFresh} not. */
    final Map<String, ObservedResource> kept = new ConcurrentHashMap<>();
    final List<Collection<String>> freshObserves = new CopyOnWriteArrayList<>();
    final List<String> forgotten = new CopyOnWriteArrayList<>();
    /** What each daemon on this cloud shares its kept details through (one per cluster node). */
    final List<SharedDetails> sharedDetails = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Integer> beforeWave = (env, wave) -> { };
    private volatile Runnable beforeObserve = () -> { };
    /** Each environment's region, the unit a cluster's sweep is split by; an environment is its own unless set. */
    final Map<String, String> regions = new ConcurrentHashMap<>();

    @Override
    public ObservedState observe(Collection<String> environments) {
        beforeObserve.run();
        return read(environments);
    }

    private ObservedState read(Collection<String> environments) {
        observes.add(List.copyOf(environments));
        Set<String> wanted = Set.copyOf(environments);
        return ObservedState.of(resources.values().stream().filter(r -> wanted.contains(r.environment()))
                .map(r -> kept.getOrDefault(r.address(), r)).toList());
    }

    @Override
    public ObservedState observeFresh(Collection<String> environments) {
        beforeObserve.run();
        freshObserves.add(List.copyOf(environments));
        kept.keySet().removeIf(a -> environments.stream().anyMatch(env -> a.startsWith(env + "/")));
        return read(environments);
    }

    @Override
    public void forgetDetails(String environment) {
        forgotten.add(environment);
    }

    @Override
    public String sweepUnit(String environment) {
        return regions.getOrDefault(environment, environment);
    }

    @Override
    public void shareDetails(SharedDetails shared) {
        sharedDetails.add(shared);
    }

    @Override
    public ApplyResult apply(EnvironmentPlan whole, StopSignal stop) {
        // As the AWS executor: changes waiting for the maintenance window are left, and the revision unstamped.
        EnvironmentPlan plan = whole.withoutDeferred();
        boolean stamp = whole.deferred().isEmpty();
        long start = System.nanoTime();
        List<ApplyResult.Step> steps = new ArrayList<>();
        Map<String, Change> byAddress = new HashMap<>();
        plan.changes().forEach(c -> byAddress.put(c.address(), c));
        AtomicInteger failing = failures.get(plan.name());
        if (failing != null && failing.getAndDecrement() > 0) {
            return result(plan, ApplyResult.Outcome.FAILED, steps, start, Optional.of("ThrottlingException: rate exceeded"));
        }
        for (int wave = 0; wave < plan.waves().size(); wave++) {
            beforeWave.accept(plan.name(), wave);
            Optional<String> reason = stop.stopReason();
            if (reason.isPresent()) {
                return result(plan, ApplyResult.Outcome.STOPPED, steps, start, reason);
            }
            for (String address : plan.waves().get(wave)) {
                Change c = byAddress.get(address);
                if (c == null || c.action() == Action.NO_OP) {
                    continue;
                }
                if (c.action() == Action.DELETE) {
                    resources.remove(address);
                } else {
                    resources.put(address, live(c.desired().orElseThrow()));
                }
                steps.add(new ApplyResult.Step(address, c.action(), ApplyResult.Status.SUCCEEDED, "ok"));
            }
        }
        resolveReferences(plan.name());
        resources.computeIfPresent(plan.name() + "/cluster/cluster", (a, r) -> {
            if (!stamp) {
                return r;
            }
            Map<String, String> tags = new HashMap<>(r.tags());
            tags.put(ObservedResource.REVISION, plan.revision());
            return new ObservedResource(a, r.type(), r.id(), r.attributes(), tags);
        });
        return result(plan, steps.isEmpty() ? ApplyResult.Outcome.NO_CHANGES : ApplyResult.Outcome.APPLIED,
                steps, start, Optional.empty());
    }

    /** The next {@code times} applies of an environment fail as a throttled AWS call would. */
    void failNext(String environment, int times) {
        failures.put(environment, new AtomicInteger(times));
    }

    /** Called before each observe (a start-up's, a sweep's, a pass's own). */
    void beforeObserve(Runnable hook) {
        beforeObserve = hook;
    }

    /** Called before each wave, before the stop signal is asked. */
    void beforeWave(BiConsumer<String, Integer> hook) {
        beforeWave = hook;
    }

    /** Changes one live attribute out of band, as a person in the console would. */
    void drift(String address, String attribute, Object value) {
        resources.computeIfPresent(address, (a, r) -> {
            Map<String, Object> attrs = new HashMap<>(r.attributes());
            attrs.put(attribute, value);
            return new ObservedResource(a, r.type(), r.id(), attrs, r.tags());
        });
    }

    List<ApplyResult> applies(String environment) {
        return applies.stream().filter(a -> a.environment().equals(environment)).toList();
    }

    Set<String> environments() {
        return ObservedState.of(resources.values()).environments();
    }

    private ApplyResult result(EnvironmentPlan plan, ApplyResult.Outcome outcome, List<ApplyResult.Step> steps,
                               long start, Optional<String> error) {
        ApplyResult r = new ApplyResult(plan.name(), plan.revision(), outcome, steps,
                Duration.ofNanos(System.nanoTime() - start), error);
        applies.add(r);
        return r;
    }

    /**
     * Every reference of the environment's resources to another resource's live value (an
     * endpoint, a domain name) replaced by that value, as drivers write it (a value of a resource
     * applied later in the same apply, as the AWS executor's next pass does): the referenced
     * resource reports it from now on, as {@code <address>.<attribute>}.
     */
    private void resolveReferences(String environment) {
        for (ObservedResource r : List.copyOf(resources.values())) {
            Set<LiveRef> refs = LiveRef.refsIn(r.attributes());
            if (!r.environment().equals(environment) || refs.isEmpty()) {
                continue;
            }
            for (LiveRef ref : refs) {
                resources.computeIfPresent(ref.address(), (a, target) -> {
                    if (target.attributes().containsKey(ref.attribute())) {
                        return target;
                    }
                    Map<String, Object> attrs = new HashMap<>(target.attributes());
                    attrs.put(ref.attribute(), a + "." + ref.attribute());
                    return new ObservedResource(a, target.type(), target.id(), attrs, target.tags());
                });
            }
            Map<String, Object> attrs = new HashMap<>();
            r.attributes().forEach((k, v) -> attrs.put(k, LiveRef.resolve(v, a -> Optional.ofNullable(resources.get(a)))));
            resources.put(r.address(), new ObservedResource(r.address(), r.type(), r.id(), attrs, r.tags()));
        }
    }

    /** A live resource as a driver would read it back: a count within its range sits at the minimum. */
    private static ObservedResource live(Resource r) {
        Map<String, Object> attrs = new HashMap<>();
        r.attributes().forEach((k, v) -> attrs.put(k, v instanceof EnvironmentSpec.Range range ? range.min() : v));
        return new ObservedResource(r.address(), r.type(), r.name(), attrs, r.tags());
    }
}
