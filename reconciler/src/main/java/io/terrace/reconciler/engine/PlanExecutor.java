package io.terrace.reconciler.engine;

import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.planner.RevisionMarker;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Applies one environment's plan wave by wave (Argo CD's sync waves): the StopSignal is asked
 * before every wave, the steps of a wave run in parallel up to a bound, each step goes to the
 * {@link ResourceDriver} of its resource type (through {@link ManagedDriver}, which reads, adopts
 * and checks ownership), and dependents of a failed step are skipped with
 * the reason. A fully successful apply ends by stamping the revision on the environment's ECS
 * cluster, which is what drift detection trusts.
 *
 * <p>Plans that are invalid, blocked or paused are refused without a single AWS call.
 */
public final class PlanExecutor implements Executor {

    /** The resource type whose live tag records the revision an environment was applied at. */
    public static final ResourceType REVISION_MARKER = RevisionMarker.TYPE;

    private final Map<ResourceType, ManagedDriver> drivers;
    private final java.util.function.Predicate<Throwable> isTransient;
    private final RevisionStamp stamp;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ExecutorSettings settings;
    private final DoubleSupplier random;

    /**
     * @param drivers     one per resource type, all of one region
     * @param isTransient tells a failure worth another attempt (throttling, 5xx) from a terminal one
     */
    public PlanExecutor(Collection<ResourceDriver> drivers, RevisionStamp stamp,
            java.util.function.Predicate<Throwable> isTransient,
            Clock clock, Sleeper sleeper, ExecutorSettings settings, DoubleSupplier random) {
        Map<ResourceType, ManagedDriver> byType = new EnumMap<>(ResourceType.class);
        for (ResourceDriver d : drivers) {
            if (byType.put(d.type(), new ManagedDriver(d)) != null) {
                throw new IllegalArgumentException("two drivers for " + d.type());
            }
        }
        this.drivers = byType;
        this.stamp = stamp;
        this.isTransient = isTransient;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
        this.random = random;
    }

    /** An executor on the system clock with real sleeps and default pacing. */
    public PlanExecutor(Collection<ResourceDriver> drivers, RevisionStamp stamp,
            java.util.function.Predicate<Throwable> isTransient) {
        this(drivers, stamp, isTransient, Clock.systemUTC(), Sleeper.SYSTEM, ExecutorSettings.DEFAULT,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop) {
        return apply(plan, stop, StepListener.NONE);
    }

    @Override
    public ApplyResult apply(EnvironmentPlan plan, StopSignal stop, StepListener steps) {
        Instant started = clock.instant();
        Optional<ApplyResult> refused = refuse(plan, started);
        if (refused.isPresent()) {
            return refused.get();
        }
        // Changes waiting for the maintenance window are left for a later apply, and values only
        // known once this apply is done for the next one; the revision is not stamped meanwhile,
        // so they stay pending changes rather than drift.
        return new PlanRun(this, plan.withoutDeferred(), stop, steps, started,
                plan.deferred().isEmpty() && !valuesLeftForNextPass(plan)).execute();
    }

    private Optional<ApplyResult> refuse(EnvironmentPlan plan, Instant started) {
        return Refusal.of(plan).map(r -> done(plan, r.outcome(), List.of(), started, r.message()));
    }

    ApplyResult done(EnvironmentPlan plan, Outcome outcome, List<Step> steps, Instant started, String error) {
        return done(plan, outcome, steps, started, error, Map.of());
    }

    /** The same, with the live state the apply left ({@link ApplyResult#live}). */
    ApplyResult done(EnvironmentPlan plan, Outcome outcome, List<Step> steps, Instant started, String error,
            Map<String, ObservedResource> live) {
        return new ApplyResult(plan.name(), plan.revision(), outcome, steps,
                Duration.between(started, clock.instant()), Optional.ofNullable(error), live);
    }

    Optional<ManagedDriver> driver(ResourceType type) {
        return Optional.ofNullable(drivers.get(type));
    }

    boolean isTransient(Throwable failure) {
        return isTransient.test(failure);
    }

    RevisionStamp stamp() {
        return stamp;
    }

    Clock clock() {
        return clock;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    ExecutorSettings settings() {
        return settings;
    }

    DoubleSupplier random() {
        return random;
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /**
     * Whether this plan's apply leaves a value for the next pass: a resource it changes refers to a
     * live value of one the plan creates or replaces and that depends on it (the CDN domain the web
     * containers are told, of a distribution whose origin is web), so the value is not known when
     * the resource is applied. Such an apply is not stamped: what it left out is a pending change
     * of the next pass, never drift.
     */
    @Override
    public boolean leavesValuesForNextPass(EnvironmentPlan plan) {
        return valuesLeftForNextPass(plan);
    }

    public static boolean valuesLeftForNextPass(EnvironmentPlan plan) {
        return !leftForNextPass(plan).isEmpty();
    }

    /** The addresses of the resources whose values this plan's apply leaves for the next pass. */
    public static java.util.Set<String> leftForNextPass(EnvironmentPlan plan) {
        java.util.Set<String> renewed = new java.util.HashSet<>();
        plan.changes().stream().filter(c -> c.action() == Action.CREATE || c.action() == Action.REPLACE)
                .forEach(c -> renewed.add(c.address()));
        java.util.Set<String> left = new java.util.TreeSet<>();
        plan.changes().stream().filter(PlanExecutor::isAction)
                .flatMap(c -> c.desired().stream())
                .filter(r -> r.referencedAddresses().stream()
                        .anyMatch(ref -> !r.dependsOn().contains(ref) && renewed.contains(ref)))
                .forEach(r -> left.add(r.address()));
        return left;
    }

    static boolean isAction(Change c) {
        return c.action() != Action.NO_OP;
    }

    static Step step(Change c, Status status, String message) {
        return new Step(c.address(), c.action(), status, message);
    }

    static Optional<ObservedResource> observed(Change c) {
        return c.observed();
    }
}
