package io.terrace.reconciler.daemon;

import io.terrace.planner.Action;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.DesiredState;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.Resource;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small stand-in for {@code Planner.plan} while the real planner is not merged: desired state
 * from {@link DesiredState}, attribute diff (ranges as ranges), deletes of data-bearing
 * resources blocked, waves by component dependency depth.
 */
final class InterimPlanner implements PlanFunction {

    @Override
    public Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed) {
        TreeSet<String> names = new TreeSet<>(observed.environments());
        specs.results().forEach(r -> names.add(r.name()));
        List<EnvironmentPlan> out = new ArrayList<>();
        for (String env : names) {
            String revision = revisions.getOrDefault(env, "unknown");
            Optional<SpecResult> spec = specs.find(env);
            if (spec.orElse(null) instanceof SpecResult.Invalid invalid) {
                out.add(new EnvironmentPlan(env, Optional.empty(), Optional.empty(), revision, specs.pauseReason(),
                        List.of(), List.of(), invalid.diagnostics()));
                continue;
            }
            Optional<EnvironmentSpec> valid = spec.map(r -> ((SpecResult.Valid) r).spec());
            Optional<String> paused = specs.pauseReason()
                    .or(() -> valid.filter(EnvironmentSpec::paused).map(s -> spec.get().file() + " sets paused: true"));
            List<Change> changes = new ArrayList<>();
            Map<String, Resource> desired = new TreeMap<>();
            valid.ifPresent(s -> DesiredState.compile(s, revision).forEach(r -> desired.put(r.address(), r)));
            for (Resource r : desired.values()) {
                Optional<ObservedResource> live = observed.get(r.address());
                if (live.isEmpty()) {
                    changes.add(new Change(r.address(), r.type(), Action.CREATE, List.of(), Optional.of(r),
                            Optional.empty(), "missing", Optional.empty()));
                    continue;
                }
                List<AttributeChange> diff = new ArrayList<>();
                r.attributes().forEach((k, want) -> {
                    Object have = live.get().attributes().get(k);
                    boolean same = want instanceof EnvironmentSpec.Range range
                            ? have instanceof Number n && range.contains(n.intValue())
                            : Objects.equals(String.valueOf(want), String.valueOf(have));
                    if (!same) {
                        diff.add(new AttributeChange(k, have, want));
                    }
                });
                if (!diff.isEmpty()) {
                    changes.add(new Change(r.address(), r.type(), Action.UPDATE, diff, Optional.of(r), live,
                            "attributes differ", Optional.empty()));
                }
            }
            for (ObservedResource live : observed.environment(env)) {
                if (!desired.containsKey(live.address())) {
                    Component c = Component.of(live.address().split("/")[1]);
                    Optional<String> blocked = c.isDataBearing()
                            ? Optional.of("deleting data-bearing " + c.id() + " needs decommission first")
                            : Optional.empty();
                    changes.add(new Change(live.address(), live.type(), Action.DELETE, List.of(), Optional.empty(),
                            Optional.of(live), "no longer in the spec", blocked));
                }
            }
            out.add(new EnvironmentPlan(env, valid.map(EnvironmentSpec::tier), valid.map(EnvironmentSpec::stage),
                    revision, paused, changes, waves(changes), List.of()));
        }
        return new Plan(out);
    }

    private static List<List<String>> waves(List<Change> changes) {
        TreeMap<Integer, List<String>> byDepth = new TreeMap<>();
        for (Change c : changes) {
            byDepth.computeIfAbsent(depth(c.component()), d -> new ArrayList<>()).add(c.address());
        }
        return List.copyOf(byDepth.values());
    }

    private static int depth(Component c) {
        return c.dependsOn().stream().mapToInt(d -> depth(d) + 1).max().orElse(0);
    }
}
