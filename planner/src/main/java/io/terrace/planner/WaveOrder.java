package io.terrace.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Orders one environment's changes into waves and marks the changes that must wait for a
 * blocked one.
 *
 * <p>Creates, updates and replaces come first, in dependency order taken from
 * {@link Resource#dependsOn()}: a change's wave is the number of changes on the longest dependency
 * chain before it (unchanged resources on the chain count for nothing, but still carry the order
 * through). Deletions follow, in reverse dependency order (a CDN goes before the load balancer it
 * points at), derived from {@link Component#dependsOn()} and {@link DesiredState#RESOURCE_ORDER}
 * because a deleted resource has no desired form.
 *
 * <p>A change that depends, directly or through other resources, on a blocked change cannot be
 * applied either: its {@code blockedReason} becomes {@code "waits for <address>: <reason>"},
 * naming the first (by address) blocked change it waits for. For deletions "depends" is reversed:
 * a network stack waits for a database whose deletion is blocked.
 */
final class WaveOrder {

    private static final Map<Component, Set<Component>> REACHES = closure();

    private final Map<String, Change> byAddress = new HashMap<>();
    private final Map<String, Integer> level = new HashMap<>();
    private final Map<String, Optional<String>> rootBlocker = new HashMap<>();

    /** The ordered changes (by wave, then address; no-ops last) and the waves of addresses. */
    record Ordered(List<Change> changes, List<List<String>> waves) {}

    static Ordered order(List<Change> changes) {
        return new WaveOrder().run(changes);
    }

    private Ordered run(List<Change> changes) {
        List<Change> forward = new ArrayList<>();
        List<Change> deletes = new ArrayList<>();
        List<Change> noOps = new ArrayList<>();
        for (Change c : changes) {
            byAddress.put(c.address(), c);
            switch (c.action()) {
                case DELETE -> deletes.add(c);
                case NO_OP -> noOps.add(c);
                default -> forward.add(c);
            }
        }
        Map<String, Integer> wave = new HashMap<>();
        int forwardWaves = 0;
        for (Change c : forward) {
            int w = forwardLevel(c.address());
            wave.put(c.address(), w);
            forwardWaves = Math.max(forwardWaves, w + 1);
        }
        for (Change c : deletes) {
            wave.put(c.address(), forwardWaves + deleteLevel(c, deletes));
        }

        List<Change> out = new ArrayList<>(changes.size());
        for (Change c : forward) {
            out.add(waiting(c, forwardBlocker(c.address())));
        }
        for (Change c : deletes) {
            out.add(waiting(c, deleteBlocker(c, deletes)));
        }
        out.sort(Comparator.<Change>comparingInt(c -> wave.get(c.address())).thenComparing(Change::address));
        List<List<String>> waves = new ArrayList<>();
        for (Change c : out) {
            int w = wave.get(c.address());
            while (waves.size() <= w) {
                waves.add(new ArrayList<>());
            }
            waves.get(w).add(c.address());
        }
        noOps.sort(Comparator.comparing(Change::address));
        out.addAll(noOps);
        waves.removeIf(List::isEmpty);
        return new Ordered(out, waves);
    }

    /** Number of changing resources on the longest dependency chain before {@code address}. */
    private int forwardLevel(String address) {
        Integer known = level.get(address);
        if (known != null) {
            return known;
        }
        int l = 0;
        for (String dep : dependsOn(address)) {
            Change d = byAddress.get(dep);
            if (d != null) {
                l = Math.max(l, forwardLevel(dep) + (d.action() == Action.NO_OP ? 0 : 1));
            }
        }
        level.put(address, l);
        return l;
    }

    /** The first blocked change (by address) {@code address} depends on, through any resource. */
    private Optional<String> forwardBlocker(String address) {
        Optional<String> known = rootBlocker.get(address);
        if (known != null) {
            return known;
        }
        Optional<String> first = Optional.empty();
        for (String dep : dependsOn(address)) {
            Change d = byAddress.get(dep);
            if (d == null) {
                continue;
            }
            // An in-place update waiting for the maintenance window keeps its endpoints: what
            // depends on it need not wait with it (a deferred replacement is waited for).
            boolean holds = d.blocked() && d.action() != Action.DELETE && !(d.deferred() && d.action() == Action.UPDATE);
            Optional<String> candidate = holds ? Optional.of(dep) : forwardBlocker(dep);
            first = min(first, candidate);
        }
        rootBlocker.put(address, first);
        return first;
    }

    private Set<String> dependsOn(String address) {
        Change c = byAddress.get(address);
        return c == null ? Set.of() : c.desired().map(Resource::dependsOn).orElse(Set.of());
    }

    /** Deletions that must run before {@code c}: those that depend on it. */
    private int deleteLevel(Change c, List<Change> deletes) {
        Integer known = level.get(c.address());
        if (known != null) {
            return known;
        }
        int l = 0;
        for (Change other : deletes) {
            if (dependsOnForDeletion(other.address(), c.address())) {
                l = Math.max(l, deleteLevel(other, deletes) + 1);
            }
        }
        level.put(c.address(), l);
        return l;
    }

    private Optional<String> deleteBlocker(Change c, List<Change> deletes) {
        Optional<String> first = Optional.empty();
        for (Change other : deletes) {
            if (other.blocked() && dependsOnForDeletion(other.address(), c.address())) {
                first = min(first, Optional.of(other.address()));
            }
        }
        return first;
    }

    /**
     * Whether {@code a} needs {@code b}, judged from addresses alone: a's component reaches b's,
     * or both are in one component and b is declared first. The relation is transitive.
     */
    static boolean dependsOnForDeletion(String a, String b) {
        String[] pa = a.split("/", 3);
        String[] pb = b.split("/", 3);
        Component ca = Component.of(pa[1]);
        Component cb = Component.of(pb[1]);
        if (ca == cb) {
            return rank(pb[2]) < rank(pa[2]) || (rank(pb[2]) == rank(pa[2]) && pb[2].compareTo(pa[2]) < 0);
        }
        return REACHES.get(ca).contains(cb);
    }

    private static int rank(String resource) {
        int i = DesiredState.RESOURCE_ORDER.indexOf(resource);
        return i < 0 ? DesiredState.RESOURCE_ORDER.size() : i;
    }

    private Change waiting(Change c, Optional<String> blocker) {
        if (c.blocked() || blocker.isEmpty()) {
            return c;
        }
        Change root = byAddress.get(blocker.get());
        BlockedReason reason = BlockedReason.waitingFor(root.address(), root.blockedBy().orElseThrow());
        return new Change(c.address(), c.type(), c.action(), c.attributes(), c.desired(), c.observed(),
                c.reason(), Optional.of(reason));
    }

    private static Optional<String> min(Optional<String> a, Optional<String> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    private static Map<Component, Set<Component>> closure() {
        Map<Component, Set<Component>> reaches = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            Set<Component> seen = EnumSet.noneOf(Component.class);
            List<Component> todo = new ArrayList<>(c.dependsOn());
            while (!todo.isEmpty()) {
                Component d = todo.remove(todo.size() - 1);
                if (seen.add(d)) {
                    todo.addAll(d.dependsOn());
                }
            }
            reaches.put(c, Set.copyOf(seen));
        }
        return reaches;
    }
}
