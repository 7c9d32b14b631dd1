package io.terrace.reconciler.engine;

import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Hand-built plans for executor tests: a few resources of one environment, in waves. */
final class TestPlans {

    static final String ENV = "acme";

    private final List<Change> changes = new ArrayList<>();
    private final List<List<String>> waves = new ArrayList<>();
    private Optional<String> paused = Optional.empty();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    static String address(Component c, String resource) {
        return ENV + "/" + c.id() + "/" + resource;
    }

    static Resource resource(Component c, String name, ResourceType type, String... dependsOn) {
        return new Resource(address(c, name), type, c, "terrace-" + ENV + "-" + c.id(), Map.of("x", 1),
                Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, ENV), Set.of(dependsOn));
    }

    static ObservedResource live(Resource r, Map<String, String> tags) {
        return new ObservedResource(r.address(), r.type(), "id-" + r.address(), Map.of("x", 0), tags);
    }

    static ObservedResource live(Resource r) {
        return live(r, r.tags());
    }

    TestPlans wave(Change... wave) {
        List<String> addresses = new ArrayList<>();
        for (Change c : wave) {
            changes.add(c);
            addresses.add(c.address());
        }
        waves.add(addresses);
        return this;
    }

    TestPlans paused(String reason) {
        paused = Optional.of(reason);
        return this;
    }

    TestPlans invalid(String message) {
        diagnostics.add(new Diagnostic("environments/acme.yaml", 3, 1, message));
        return this;
    }

    EnvironmentPlan build() {
        return new EnvironmentPlan(ENV, Optional.of(Tier.STANDARD), Optional.of(Stage.STAGING), "abc123", paused,
                changes, waves, diagnostics);
    }

    static Change create(Resource r) {
        return new Change(r.address(), r.type(), Action.CREATE, List.of(), Optional.of(r), Optional.empty(),
                "missing", Optional.empty());
    }

    static Change update(Resource r, ObservedResource live) {
        return new Change(r.address(), r.type(), Action.UPDATE, List.of(), Optional.of(r), Optional.of(live),
                "differs", Optional.empty());
    }

    static Change noop(Resource r, ObservedResource live) {
        return new Change(r.address(), r.type(), Action.NO_OP, List.of(), Optional.of(r), Optional.of(live),
                "", Optional.empty());
    }

    static Change replace(Resource r, ObservedResource live) {
        return new Change(r.address(), r.type(), Action.REPLACE, List.of(), Optional.of(r), Optional.of(live),
                "forces replacement", Optional.empty());
    }

    static Change delete(ObservedResource live) {
        return new Change(live.address(), live.type(), Action.DELETE, List.of(), Optional.empty(), Optional.of(live),
                "not in spec", Optional.empty());
    }

    static Change blocked(Change c, String why) {
        return new Change(c.address(), c.type(), c.action(), c.attributes(), c.desired(), c.observed(), c.reason(),
                Optional.of(io.terrace.planner.BlockedReason.rule(why)));
    }
}
