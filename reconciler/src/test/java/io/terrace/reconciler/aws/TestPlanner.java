package io.terrace.reconciler.aws;

import io.terrace.planner.Action;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.Change;
import io.terrace.planner.DesiredState;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A minimal diff for driver tests: the resources this part's drivers own, compared attribute by
 * attribute (a count inside its range is no change), waves by dependency depth. It lets the
 * drivers be tested before and independently of the real planner.
 */
final class TestPlanner {

    /**
     * The resource types with drivers in this part (RDS, ElastiCache, OpenSearch, CloudFront
     * elsewhere), and the environment's KMS key the log groups and the bucket are encrypted with.
     */
    static final Set<ResourceType> CORE = EnumSet.of(ResourceType.NETWORK_STACK, ResourceType.ECS_CLUSTER,
            ResourceType.ECS_TASK_DEFINITION, ResourceType.ECS_SERVICE, ResourceType.AUTOSCALING_TARGET,
            ResourceType.S3_BUCKET, ResourceType.IAM_ROLE, ResourceType.LOG_GROUP, ResourceType.ACM_CERTIFICATE,
            ResourceType.LOG_METRIC_FILTER, ResourceType.KMS_KEY);

    private TestPlanner() {}

    /**
     * The desired core resources, with dependencies on other parts' resources dropped, and so the
     * containers' variables that name those parts' live endpoints.
     */
    static List<Resource> desired(EnvironmentSpec spec, String revision) {
        List<Resource> all = DesiredState.compile(spec, revision).stream()
                .filter(r -> CORE.contains(r.type()))
                .filter(r -> r.type() != ResourceType.AUTOSCALING_TARGET || !r.address().contains("/database/"))
                .toList();
        Set<String> kept = new java.util.HashSet<>();
        all.forEach(r -> kept.add(r.address()));
        return all.stream().map(r -> new Resource(r.address(), r.type(), r.component(), r.name(), withoutRefs(r.attributes()),
                r.tags(), r.dependsOn().stream().filter(kept::contains).collect(java.util.stream.Collectors.toSet())))
                .toList();
    }

    static Map<String, Object> withoutRefs(Map<String, Object> attributes) {
        Map<String, Object> out = new TreeMap<>();
        attributes.forEach((k, v) -> out.put(k, io.terrace.planner.LiveRef.withoutUnknownEntries(v)));
        return out;
    }

    static EnvironmentPlan plan(EnvironmentSpec spec, String revision, ObservedState observed) {
        List<Resource> desired = desired(spec, revision);
        List<Change> changes = new ArrayList<>();
        for (Resource r : desired) {
            Optional<ObservedResource> live = observed.get(r.address());
            if (live.isEmpty()) {
                changes.add(new Change(r.address(), r.type(), Action.CREATE, List.of(), Optional.of(r), live, "missing",
                        Optional.empty()));
                continue;
            }
            // The key's ARN the log groups and the bucket name, as the real planner resolves it.
            List<AttributeChange> diff = diff(r.resolved(observed::get), live.get());
            Optional<io.terrace.planner.BlockedReason> blocked = live.get().isManagedByTerrace() || diff.isEmpty()
                    ? Optional.empty() : Optional.of(io.terrace.planner.BlockedReason.rule("not managed by Terrace"));
            changes.add(new Change(r.address(), r.type(), diff.isEmpty() ? Action.NO_OP : Action.UPDATE, diff,
                    Optional.of(r), live, "", blocked));
        }
        return new EnvironmentPlan(spec.name(), Optional.of(spec.tier()), Optional.of(spec.stage()), revision,
                Optional.empty(), changes, waves(desired), List.of());
    }

    static List<AttributeChange> diff(Resource desired, ObservedResource live) {
        List<AttributeChange> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(desired.attributes()).entrySet()) {
            Object have = live.attributes().get(e.getKey());
            Object want = e.getValue();
            boolean same = want instanceof Range range
                    ? have instanceof Number n && range.contains(n.intValue())
                    : Objects.equals(String.valueOf(want), String.valueOf(have));
            if (!same) {
                out.add(new AttributeChange(e.getKey(), have, want));
            }
        }
        return out;
    }

    private static List<List<String>> waves(List<Resource> desired) {
        Map<String, Resource> byAddress = new HashMap<>();
        desired.forEach(r -> byAddress.put(r.address(), r));
        Map<String, Integer> depth = new HashMap<>();
        TreeMap<Integer, List<String>> waves = new TreeMap<>();
        for (Resource r : desired) {
            waves.computeIfAbsent(depth(r, byAddress, depth), k -> new ArrayList<>()).add(r.address());
        }
        return new ArrayList<>(waves.values());
    }

    private static int depth(Resource r, Map<String, Resource> all, Map<String, Integer> memo) {
        Integer known = memo.get(r.address());
        if (known != null) {
            return known;
        }
        int d = 0;
        for (String dep : r.dependsOn()) {
            d = Math.max(d, depth(all.get(dep), all, memo) + 1);
        }
        memo.put(r.address(), d);
        return d;
    }
}
