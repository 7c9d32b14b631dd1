package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.SavedPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * {@code --plan FILE} of {@code terrace apply}: apply a plan saved by {@code terrace plan --out},
 * and only if nothing it was computed from has moved (see {@link SavedPlan}). The saved plan
 * fixes the environments and the options, so {@code --env} and {@code --allow-destroy} do not
 * combine with it.
 */
final class SavedPlanOption {

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Apply this saved plan (terrace plan --out FILE); refused when a spec or live state "
                    + "moved since it was saved.")
    Path file;

    private SavedPlan saved;

    boolean given() {
        return file != null;
    }

    /**
     * Reads the saved plan, if one was given, and checks the other options against it.
     *
     * @throws IllegalArgumentException with a one-line message
     */
    void load(Collection<String> environments, boolean allowDestroy) {
        if (file == null) {
            return;
        }
        if (!environments.isEmpty()) {
            throw new IllegalArgumentException("--plan and --env do not combine: the saved plan fixes the environments");
        }
        if (allowDestroy) {
            throw new IllegalArgumentException("--plan and --allow-destroy do not combine: "
                    + "pass --allow-destroy to the terrace plan that saves the plan");
        }
        saved = SavedPlan.read(file);
    }

    /** The environments to apply: the saved plan's, or the {@code --env} names. */
    Set<String> environments(Collection<String> environments) {
        return saved == null ? new TreeSet<>(environments) : saved.environmentNames();
    }

    /** Whether destroying is allowed: as the saved plan was computed, or as {@code --allow-destroy} says. */
    boolean allowDestroy(boolean allowDestroy) {
        return saved == null ? allowDestroy : saved.options().allowDestroy();
    }

    /**
     * Prints why the saved plan is refused and returns true, or returns false when it still holds
     * (or none was given).
     */
    boolean refuse(Plan current, ObservedState live, PrintWriter err) {
        if (saved == null) {
            return false;
        }
        List<String> reasons = saved.staleness(current, live);
        if (reasons.isEmpty()) {
            return false;
        }
        err.println("terrace apply: refusing the saved plan " + file + ": it no longer matches; plan again");
        reasons.forEach(r -> err.println("  " + r));
        return true;
    }

    Optional<SavedPlan> saved() {
        return Optional.ofNullable(saved);
    }
}
