package io.terrace.planner;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Computes a {@link Plan} from specs and observed state. Every environment that has a spec file,
 * or live resources, is planned; callers narrow the scope by filtering both inputs (or by calling
 * {@link #planEnvironment} for one environment). An environment with live resources but no spec
 * file is planned for deletion, which is blocked unless it was decommissioned first.
 */
public final class Planner {

    /** The revision of an environment whose commit is not known (no git, or not given). */
    public static final String UNKNOWN_REVISION = "unknown";

    private final EnvironmentPlanner environments;

    public Planner(PlanOptions options) {
        this.environments = new EnvironmentPlanner(options);
    }

    /**
     * @param revisions the git commit of each environment's spec, by environment name; an
     *                  environment missing from the map gets revision {@code "unknown"}
     */
    public Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed) {
        Map<String, SpecResult> byName = new HashMap<>();
        for (SpecResult r : specs.results()) {
            byName.putIfAbsent(r.name(), r);
        }
        SortedMap<String, List<ObservedResource>> live = observed.byEnvironment();
        TreeSet<String> names = new TreeSet<>(byName.keySet());
        names.addAll(live.keySet());
        List<EnvironmentPlan> plans = new ArrayList<>(names.size());
        for (String name : names) {
            SpecResult spec = byName.get(name);
            if (spec instanceof SpecResult.Valid valid && observed.refusal(name).isPresent()) {
                spec = new SpecResult.Invalid(name, valid.file(),
                        List.of(new Diagnostic(valid.file(), 0, 0, observed.refusal(name).get())));
            }
            EnvironmentPlan plan = planEnvironment(name, Optional.ofNullable(spec),
                    revisions.getOrDefault(name, UNKNOWN_REVISION), specs.pauseReason(),
                    live.getOrDefault(name, List.of()));
            plans.add(observed.region(name).map(plan::inRegion).orElse(plan));
        }
        return new Plan(plans);
    }

    /**
     * Why an environment must not be applied or corrected, if it must not: a {@code PAUSE} file
     * (which wins, being repository-wide) or {@code paused: true} in its spec.
     */
    public static Optional<String> pausedReason(Optional<String> pauseFileReason, boolean pausedInSpec) {
        if (pauseFileReason.isPresent()) {
            return Optional.of("PAUSE file: " + pauseFileReason.get());
        }
        return pausedInSpec ? Optional.of("paused: true in spec") : Optional.empty();
    }

    /**
     * Plans one environment.
     *
     * @param spec            its spec file as loaded, or empty when the file was deleted
     * @param revision        the git commit of the spec (or of the deletion)
     * @param pauseFileReason the repository's PAUSE reason, if a PAUSE file exists
     * @param live            its observed resources (addresses starting with {@code name/})
     */
    public EnvironmentPlan planEnvironment(String name, Optional<SpecResult> spec, String revision,
            Optional<String> pauseFileReason, List<ObservedResource> live) {
        return environments.plan(name, spec, revision, pauseFileReason, live);
    }
}
