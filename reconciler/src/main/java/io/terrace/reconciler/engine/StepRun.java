package io.terrace.reconciler.engine;

import io.terrace.planner.Change;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;

/**
 * One change carried out by its driver, with a small number of attempts for transient failures
 * (the SDK has already retried each call; this covers a step that failed half-way through).
 * Drivers are idempotent, so repeating a whole step is safe.
 */
final class StepRun {

    private final PlanRun run;
    private final Change change;

    StepRun(PlanRun run, Change change) {
        this.run = run;
        this.change = change;
    }

    Step run() {
        run.listener().started(change.address(), change.action());
        Step step = attempt();
        run.listener().finished(step);
        return step;
    }

    private Step attempt() {
        ManagedDriver driver = run.driver(change).orElse(null);
        if (driver == null) {
            return PlanExecutor.step(change, Status.FAILED, "no driver for " + change.type().id());
        }
        ExecutorSettings settings = run.executor().settings();
        for (int attempt = 1; ; attempt++) {
            try {
                return PlanExecutor.step(change, Status.SUCCEEDED, perform(driver));
            } catch (RuntimeException e) {
                if (attempt >= settings.stepAttempts() || !run.executor().isTransient(e)) {
                    String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
                    return PlanExecutor.step(change, Status.FAILED, PlanExecutor.describe(e) + tries);
                }
                run.sleep(settings.backoff().delay(attempt, run.executor().random()));
            }
        }
    }

    private String perform(ManagedDriver driver) {
        String address = change.address();
        switch (change.action()) {
            case CREATE -> {
                ObservedResource created = driver.create(desired(), run, run.readFirst(address));
                run.recordLive(address, created);
                return "created " + created.id();
            }
            case UPDATE -> {
                ObservedResource updated = driver.update(desired(), observed(), change.attributes(), run);
                run.recordLive(address, updated);
                return "updated " + updated.id() + changed();
            }
            case REPLACE -> {
                driver.delete(observed(), run);
                run.forgetLive(address);
                ObservedResource created = driver.create(desired(), run);
                run.recordLive(address, created);
                return "replaced " + observed().id() + " with " + created.id() + changed();
            }
            case DELETE -> {
                driver.delete(observed(), run);
                run.forgetLive(address);
                return "deleted " + observed().id();
            }
            default -> {
                return "no changes";
            }
        }
    }

    private String changed() {
        if (change.attributes().isEmpty()) {
            return "";
        }
        return " (" + String.join(", ", change.attributes().stream().map(a -> a.path()).toList()) + ")";
    }

    /** The desired resource with its references to live values resolved from what the apply knows now. */
    static Resource desired(Change change, PlanRun run) {
        return change.desired().orElseThrow(() -> new IllegalStateException(
                change.address() + ": the plan has no desired state for a " + change.action().id()))
                .resolvedForApply(run::live);
    }

    private Resource desired() {
        return desired(change, run);
    }

    private ObservedResource observed() {
        return change.observed().orElseThrow(() -> new IllegalStateException(
                change.address() + ": the plan has no live state for a " + change.action().id()));
    }
}
