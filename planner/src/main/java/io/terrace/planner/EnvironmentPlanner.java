package io.terrace.planner;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.MaintenanceWindow;
import io.terrace.schema.SpecResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans one environment: compile, diff, apply the safety rules, order into waves. See the
 * package documentation for the rules in prose.
 */
final class EnvironmentPlanner {

    static final String UNMANAGED = "exists but is not managed by Terrace";
    static final String NOT_DECOMMISSIONED = "the environment file was deleted but the environment was not "
            + "decommissioned: apply `decommission: true` first, or use --allow-destroy";
    static final String DATA_BEARING = "would destroy the data of %s: decommission the environment first, "
            + "or use --allow-destroy";

    private final PlanOptions options;

    EnvironmentPlanner(PlanOptions options) {
        this.options = options;
    }

    /**
     * @param spec            the environment's file, or empty when only live resources remain
     * @param pauseFileReason the first line of the repository's PAUSE file, if there is one
     * @param live            the environment's observed resources
     */
    EnvironmentPlan plan(String name, Optional<SpecResult> spec, String revision,
            Optional<String> pauseFileReason, List<ObservedResource> live) {
        if (spec.isPresent() && spec.get() instanceof SpecResult.Invalid invalid) {
            return new EnvironmentPlan(name, Optional.empty(), Optional.empty(), revision,
                    Planner.pausedReason(pauseFileReason, false), List.of(), List.of(), invalid.diagnostics());
        }
        Optional<EnvironmentSpec> valid = spec.map(s -> ((SpecResult.Valid) s).spec());
        Optional<String> paused = Planner.pausedReason(pauseFileReason, valid.map(EnvironmentSpec::paused).orElse(false));
        List<Resource> desired = valid.map(s -> DesiredState.compile(s, revision)).orElse(List.of());
        List<Change> changes = diff(desired, live, valid.isEmpty());
        changes = deferDisruptive(changes, valid.flatMap(v -> v.maintenance().parsed()));
        WaveOrder.Ordered ordered = WaveOrder.order(changes);
        return new EnvironmentPlan(name, valid.map(EnvironmentSpec::tier), valid.map(EnvironmentSpec::stage),
                revision, paused, ordered.changes(), ordered.waves(), List.of(), valid.map(EnvironmentSpec::region));
    }

    private List<Change> diff(List<Resource> desired, List<ObservedResource> live, boolean fileDeleted) {
        Map<String, ObservedResource> liveByAddress = new HashMap<>(live.size() * 2);
        for (ObservedResource o : live) {
            liveByAddress.put(o.address(), o);
        }
        boolean decommissioned = isDecommissioned(live);
        Map<String, ResourceDiff> diffs = diffs(desired, liveByAddress);
        List<Change> changes = new ArrayList<>(desired.size() + 4);
        for (Resource r : desired) {
            ObservedResource o = liveByAddress.remove(r.address());
            ResourceDiff d = diffs.get(r.address());
            Optional<BlockedReason> blocked = Optional.empty();
            if (o != null && d.differs() && !o.isManagedByTerrace()) {
                blocked = Optional.of(BlockedReason.rule(UNMANAGED));
            } else if (d.action().isDestructive() && r.type().holdsData() && !decommissioned && !options.allowDestroy()) {
                blocked = Optional.of(BlockedReason.rule(DATA_BEARING.formatted(r.address())));
            }
            changes.add(new Change(r.address(), r.type(), d.action(), d.attributes(), Optional.of(r),
                    Optional.ofNullable(o), reason(d, r), blocked));
        }
        for (ObservedResource o : liveByAddress.values()) {
            ResourceDiff d = ResourceDiff.deleting(o);
            Optional<BlockedReason> blocked = Optional.empty();
            if (!o.isManagedByTerrace()) {
                blocked = Optional.of(BlockedReason.rule(UNMANAGED));
            } else if (fileDeleted && !decommissioned && !options.allowDestroy()) {
                blocked = Optional.of(BlockedReason.rule(NOT_DECOMMISSIONED));
            } else if (o.type().holdsData() && !decommissioned && !options.allowDestroy()) {
                blocked = Optional.of(BlockedReason.rule(DATA_BEARING.formatted(o.address())));
            }
            changes.add(new Change(o.address(), o.type(), Action.DELETE, d.attributes(), Optional.empty(),
                    Optional.of(o), fileDeleted ? "environment file deleted" : "no longer in the spec", blocked));
        }
        return changes;
    }

    /**
     * Outside the environment's maintenance window (checked at {@link PlanOptions#windowsAt()}),
     * its disruptive changes wait for the window: replacements, database and cache instance-class
     * changes, and database and search engine version upgrades. Without a window, or without a
     * time to check it at, nothing waits.
     */
    private List<Change> deferDisruptive(List<Change> changes, Optional<MaintenanceWindow> window) {
        if (window.isEmpty() || options.windowsAt().isEmpty() || window.get().contains(options.windowsAt().get())) {
            return changes;
        }
        BlockedReason waits = BlockedReason.maintenanceWindow(window.get().nextStart(options.windowsAt().get()));
        return changes.stream().map(c -> !c.blocked() && disruptive(c)
                ? new Change(c.address(), c.type(), c.action(), c.attributes(), c.desired(), c.observed(), c.reason(),
                        Optional.of(waits))
                : c).toList();
    }

    /** A change that interrupts service: a replacement, a new instance class or engine version. */
    static boolean disruptive(Change c) {
        if (c.action() == Action.REPLACE) {
            return true;
        }
        if (c.action() != Action.UPDATE) {
            return false;
        }
        Set<String> paths = new HashSet<>();
        c.attributes().forEach(a -> paths.add(a.path()));
        return switch (c.type()) {
            case RDS_WRITER, RDS_READERS -> paths.contains(AttributeKeys.DbInstances.INSTANCE_CLASS);
            case ELASTICACHE_REPLICATION_GROUP -> paths.contains(AttributeKeys.Cache.NODE_TYPE);
            case RDS_CLUSTER -> paths.contains(AttributeKeys.DbCluster.ENGINE_VERSION);
            case OPENSEARCH_DOMAIN -> paths.contains(AttributeKeys.Search.ENGINE_VERSION);
            default -> false;
        };
    }

    /**
     * The diff of each desired resource. Resources that refer to others' live attributes
     * ({@link LiveRef}) are diffed last, with their references resolved from live state, except
     * those to a resource this plan creates or replaces: its new value is known after apply.
     */
    private static Map<String, ResourceDiff> diffs(List<Resource> desired, Map<String, ObservedResource> live) {
        Map<String, ResourceDiff> out = new HashMap<>(desired.size() * 2);
        for (Resource r : desired) {
            if (r.referencedAddresses().isEmpty()) {
                out.put(r.address(), ResourceDiff.of(r, Optional.ofNullable(live.get(r.address()))));
            }
        }
        for (Resource r : desired) {
            if (!r.referencedAddresses().isEmpty()) {
                Resource resolved = r.resolved(address -> {
                    ResourceDiff d = out.get(address);
                    boolean renewed = d != null && (d.action() == Action.CREATE || d.action() == Action.REPLACE);
                    return renewed ? Optional.empty() : Optional.ofNullable(live.get(address));
                });
                out.put(r.address(), ResourceDiff.of(resolved, Optional.ofNullable(live.get(r.address()))));
            }
        }
        return out;
    }

    /**
     * Every live resource Terrace manages carries {@code terrace:decommission=true}: the first
     * step of a decommission was applied, so deleting the file may now destroy everything.
     */
    static boolean isDecommissioned(List<ObservedResource> live) {
        boolean any = false;
        for (ObservedResource o : live) {
            if (!o.isManagedByTerrace()) {
                continue;
            }
            if (!"true".equals(o.tags().get(ObservedResource.DECOMMISSION))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static String reason(ResourceDiff d, Resource r) {
        return switch (d.action()) {
            case CREATE -> "not found in AWS";
            case NO_OP -> "up to date";
            case UPDATE -> d.attributes().size() == 1 ? "1 attribute differs" : d.attributes().size() + " attributes differ";
            case REPLACE -> d.attributes().stream().map(AttributeChange::path)
                    .filter(p -> r.type().replaceOn().contains(p))
                    .findFirst().map(p -> p + " cannot change in place").orElse("cannot change in place");
            case DELETE -> "no longer in the spec";
        };
    }
}
