package io.terrace.reconciler.engine;

import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.planner.RevisionMarker;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** One apply of one environment plan: the mutable state the {@link PlanExecutor} keeps while it runs. */
final class PlanRun implements DriverContext {

    private final PlanExecutor executor;
    private final EnvironmentPlan plan;
    private final StopSignal stop;
    private final StepListener listener;
    private final Instant started;
    private final Map<String, Change> byAddress = new LinkedHashMap<>();
    /** Live state as this apply knows it: observed first, then what each step returned. */
    private final Map<String, ObservedResource> live = new ConcurrentHashMap<>();
    /** What the reads before a wave's creates found, by address, until the step takes it. */
    private final Map<String, LiveRead> readFirst = new ConcurrentHashMap<>();
    /** Failed or skipped address -> the failed step that caused it. */
    private final Map<String, String> failedRoots = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();

    /** False when changes were left for the maintenance window: the revision is not reached yet. */
    private final boolean stamp;

    PlanRun(PlanExecutor executor, EnvironmentPlan plan, StopSignal stop, StepListener listener, Instant started,
            boolean stamp) {
        this.stamp = stamp;
        this.executor = executor;
        this.plan = plan;
        this.stop = stop;
        this.listener = listener;
        this.started = started;
        for (Change c : plan.changes()) {
            byAddress.put(c.address(), c);
            c.observed().ifPresent(o -> live.put(c.address(), o));
        }
    }

    ApplyResult execute() {
        List<List<Change>> waves = waves();
        if (waves.isEmpty()) {
            return finish(Outcome.NO_CHANGES);
        }
        ExecutorService pool = Executors.newFixedThreadPool(executor.settings().parallelism(), r -> {
            Thread t = new Thread(r, "terrace-apply-" + plan.name());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < waves.size(); i++) {
                Optional<String> reason = stop.stopReason();
                if (reason.isPresent()) {
                    return executor.done(plan, Outcome.STOPPED, steps, started,
                            "stopped before wave " + (i + 1) + " of " + waves.size() + ": " + reason.get());
                }
                runWave(waves.get(i), pool);
            }
        } finally {
            pool.shutdownNow();
        }
        return finish(Outcome.APPLIED);
    }

    private ApplyResult finish(Outcome success) {
        long failed = steps.stream().filter(s -> s.status() != Status.SUCCEEDED).count();
        if (failed > 0) {
            Step first = steps.stream().filter(s -> s.status() == Status.FAILED).findFirst().orElse(steps.get(0));
            return executor.done(plan, Outcome.FAILED, steps, started,
                    failed + " of " + steps.size() + " step(s) did not succeed; first failure "
                            + first.address() + ": " + first.message());
        }
        try {
            if (stamp) {
                stampRevision();
            }
        } catch (RuntimeException e) {
            return executor.done(plan, Outcome.FAILED, steps, started,
                    "every step succeeded but the revision could not be recorded: " + PlanExecutor.describe(e));
        }
        return executor.done(plan, success, steps, started, null, live);
    }

    /** Action changes grouped by the plan's waves; actions no wave names run last. */
    private List<List<Change>> waves() {
        List<List<Change>> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (List<String> wave : plan.waves()) {
            List<Change> changes = new ArrayList<>();
            for (String address : wave) {
                Change c = byAddress.get(address);
                if (c != null && PlanExecutor.isAction(c) && seen.add(address)) {
                    changes.add(c);
                }
            }
            if (!changes.isEmpty()) {
                out.add(changes);
            }
        }
        List<Change> rest = plan.changes().stream()
                .filter(PlanExecutor::isAction)
                .filter(c -> !seen.contains(c.address()))
                .toList();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    private void runWave(List<Change> wave, ExecutorService pool) {
        List<Change> runnable = new ArrayList<>();
        Map<Change, Future<Step>> futures = new LinkedHashMap<>();
        Map<Change, Step> skipped = new LinkedHashMap<>();
        for (Change c : wave) {
            Optional<String> root = failedDependency(c);
            if (root.isPresent()) {
                skipped.put(c, PlanExecutor.step(c, Status.SKIPPED,
                        "skipped: depends on " + root.get() + ", which failed"));
                failedRoots.put(c.address(), root.get());
            } else {
                runnable.add(c);
            }
        }
        readBeforeCreates(runnable);
        for (Change c : runnable) {
            futures.put(c, pool.submit(() -> new StepRun(this, c).run()));
        }
        for (Change c : wave) {
            Step step = skipped.get(c);
            if (step == null) {
                step = await(c, futures.get(c));
                if (step.status() == Status.FAILED) {
                    failedRoots.put(c.address(), c.address());
                }
            }
            steps.add(step);
        }
    }

    /**
     * The reads before the wave's creates, made together for each kind with more than one
     * ({@link ResourceDriver#readAll}: an environment's twenty alarms in one DescribeAlarms). Each
     * is taken once, by the step's first attempt; a failed batch leaves every step its own read.
     */
    private void readBeforeCreates(List<Change> wave) {
        Map<ResourceType, List<Change>> creates = new java.util.EnumMap<>(ResourceType.class);
        wave.stream().filter(c -> c.action() == Action.CREATE)
                .forEach(c -> creates.computeIfAbsent(c.type(), k -> new ArrayList<>()).add(c));
        creates.forEach((type, changes) -> {
            Optional<ManagedDriver> driver = executor.driver(type);
            if (changes.size() < 2 || driver.isEmpty()) {
                return;
            }
            try {
                readFirst.putAll(driver.get().readAll(changes.stream().map(c -> StepRun.desired(c, this)).toList(),
                        this));
            } catch (RuntimeException e) {
                // Each step reads for itself, and meets the failure there if it lasts.
            }
        });
    }

    /** The read the wave made before this create, once. */
    Optional<LiveRead> readFirst(String address) {
        return Optional.ofNullable(readFirst.remove(address));
    }

    private Step await(Change c, Future<Step> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PlanExecutor.step(c, Status.FAILED, "interrupted");
        } catch (ExecutionException e) {
            return PlanExecutor.step(c, Status.FAILED, PlanExecutor.describe(e.getCause()));
        }
    }

    /**
     * The failed step this change depends on, if any. Creates and updates depend on their
     * desired resource's dependencies; a delete depends on the deletion of every resource of a
     * component that depends on its own (deletion runs in reverse), and of its own component.
     */
    private Optional<String> failedDependency(Change c) {
        if (c.desired().isPresent()) {
            for (String d : new java.util.TreeSet<>(c.desired().get().dependsOn())) {
                if (failedRoots.containsKey(d)) {
                    return Optional.of(failedRoots.get(d));
                }
            }
        }
        if (c.action() == Action.DELETE || c.action() == Action.REPLACE) {
            Component mine = c.component();
            for (Map.Entry<String, String> f : failedRoots.entrySet()) {
                Change failed = byAddress.get(f.getKey());
                if (failed == null || failed.action() != Action.DELETE && failed.action() != Action.REPLACE) {
                    continue;
                }
                Component theirs = failed.component();
                if (theirs == mine || theirs.dependsOn().contains(mine)) {
                    return Optional.of(f.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private void stampRevision() {
        for (Change c : plan.changes()) {
            if (c.type() != RevisionMarker.TYPE || c.action() == Action.DELETE) {
                continue;
            }
            ObservedResource marker = live.get(c.address());
            if (marker != null && !plan.revision().equals(marker.tags().get(ObservedResource.REVISION))) {
                Ownership.requireManaged(marker, "stamp the revision on");
                live.put(c.address(), executor.stamp().stamp(marker, plan.revision(), this));
            }
        }
    }

    // --- DriverContext -------------------------------------------------------------------

    @Override
    public Clock clock() {
        return executor.clock();
    }

    @Override
    public Optional<ObservedResource> live(String address) {
        return Optional.ofNullable(live.get(address));
    }

    @Override
    public void await(String what, BooleanSupplier condition) {
        Instant deadline = executor.clock().instant().plus(executor.settings().readinessTimeout());
        while (!condition.getAsBoolean()) {
            if (!executor.clock().instant().isBefore(deadline)) {
                throw new NotReady("timed out after " + executor.settings().readinessTimeout()
                        + " waiting for " + what);
            }
            sleep(executor.settings().pollInterval());
        }
    }

    @Override
    public void awaitRollout(String what, Supplier<Rollout> check) {
        java.time.Duration timeout = executor.settings().rolloutTimeout();
        Instant deadline = executor.clock().instant().plus(timeout);
        while (true) {
            Rollout r = check.get();
            if (r instanceof Rollout.Done) {
                return;
            }
            if (r instanceof Rollout.Failed f) {
                throw new NotReady(what + ": " + f.reason());
            }
            Rollout.InProgress p = (Rollout.InProgress) r;
            if (!executor.clock().instant().isBefore(deadline)) {
                throw new NotReady(what + ": " + p.progress() + " after " + brief(timeout)
                        + (p.lastEvent().isBlank() ? "" : "; last event: " + p.lastEvent()));
            }
            sleep(executor.settings().pollInterval());
        }
    }

    /** A duration as people write it: 15m, 1h30m, 45s. */
    static String brief(java.time.Duration d) {
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || out.length() == 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        return out.toString();
    }

    void sleep(java.time.Duration d) {
        try {
            executor.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    void recordLive(String address, ObservedResource resource) {
        live.put(address, resource);
    }

    void forgetLive(String address) {
        live.remove(address);
    }

    Optional<ManagedDriver> driver(Change c) {
        return executor.driver(c.type());
    }

    StepListener listener() {
        return listener;
    }

    PlanExecutor executor() {
        return executor;
    }
}
