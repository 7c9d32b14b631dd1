package io.terrace.planner;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Live AWS state as read by one observe sweep: every resource found, keyed by address. This is
 * the document {@code terrace observe} writes and {@code terrace plan --observed} reads; an empty
 * account is {@code {}}.
 *
 * @param regions the AWS region each environment was looked for in, by environment name; the
 *                planner puts it on the environment's plan
 * @param alarms  the names of the environment's CloudWatch alarms that were in ALARM, by
 *                environment name (only environments with one): a health signal, never planned
 */
public record ObservedState(Map<String, ObservedResource> resources, Map<String, String> regions,
                            Map<String, List<String>> alarms, Map<String, String> refusals) {

    public static final ObservedState EMPTY = new ObservedState(Map.of());

    public ObservedState {
        resources = Map.copyOf(resources);
        regions = Map.copyOf(regions);
        Map<String, List<String>> firing = new java.util.TreeMap<>();
        alarms.forEach((env, names) -> {
            if (!names.isEmpty()) {
                firing.put(env, names.stream().sorted().distinct().toList());
            }
        });
        alarms = java.util.Collections.unmodifiableMap(firing);
        refusals = Map.copyOf(refusals);
    }

    public ObservedState(Map<String, ObservedResource> resources, Map<String, String> regions,
            Map<String, List<String>> alarms) {
        this(resources, regions, alarms, Map.of());
    }

    public ObservedState(Map<String, ObservedResource> resources, Map<String, String> regions) {
        this(resources, regions, Map.of());
    }

    /** Live state read without regions (from a file, or a test). */
    public ObservedState(Map<String, ObservedResource> resources) {
        this(resources, Map.of());
    }

    /** The same state, with the region each environment was looked for in. */
    public ObservedState inRegions(Map<String, String> regions) {
        return new ObservedState(resources, regions, alarms, refusals);
    }

    /** The same state, with the alarms in ALARM of each environment. */
    public ObservedState withAlarms(Map<String, List<String>> alarms) {
        return new ObservedState(resources, regions, alarms, refusals);
    }

    /**
     * The same state, with what live state says an environment's spec may not do, by environment:
     * one line naming the key (a restore from another client's snapshot). The planner treats such
     * a spec as invalid, with that line as a diagnostic of its file, so nothing of it is created.
     */
    public ObservedState withRefusals(Map<String, String> refusals) {
        return new ObservedState(resources, regions, alarms, refusals);
    }

    /** Why live state refuses the environment's spec, if it does. */
    public Optional<String> refusal(String environment) {
        return Optional.ofNullable(refusals.get(environment));
    }

    /** The names of the environment's alarms in ALARM when it was observed (none when not read). */
    public List<String> alarms(String environment) {
        return alarms.getOrDefault(environment, List.of());
    }

    /**
     * The same state with the resources at {@code addresses} as {@code live} has them now: one
     * {@code live} does not hold is gone (an apply's result, laid over what it observed).
     */
    public ObservedState replacing(java.util.Set<String> addresses, Map<String, ObservedResource> live) {
        Map<String, ObservedResource> out = new java.util.HashMap<>(resources);
        out.keySet().removeAll(addresses);
        live.forEach((address, r) -> {
            if (addresses.contains(address)) {
                out.put(address, r);
            }
        });
        return new ObservedState(out, regions, alarms, refusals);
    }

    /** The region an environment was looked for in, when the observer said. */
    public Optional<String> region(String environment) {
        return Optional.ofNullable(regions.get(environment));
    }

    public static ObservedState of(Collection<ObservedResource> resources) {
        return new ObservedState(resources.stream()
                .collect(Collectors.toMap(ObservedResource::address, Function.identity(), (a, b) -> a)));
    }

    public Optional<ObservedResource> get(String address) {
        return Optional.ofNullable(resources.get(address));
    }

    /** The resources of one environment. */
    public List<ObservedResource> environment(String name) {
        String prefix = name + "/";
        return resources.values().stream().filter(r -> r.address().startsWith(prefix)).toList();
    }

    /** Every live resource grouped by environment, environments by name, resources by address. */
    public java.util.SortedMap<String, List<ObservedResource>> byEnvironment() {
        java.util.SortedMap<String, List<ObservedResource>> out = new java.util.TreeMap<>();
        for (ObservedResource r : resources.values()) {
            out.computeIfAbsent(r.environment(), k -> new java.util.ArrayList<>()).add(r);
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparing(ObservedResource::address)));
        return out;
    }

    /**
     * The state split by environment in one pass over the resources: for every environment that has
     * a live resource, a region, alarms or a refusal, what {@code only(Set.of(env))} returns (an
     * environment not in the map has nothing observed: {@link #EMPTY}). A sweep over N environments
     * splits its observation with this once, instead of N scans of every resource.
     */
    public Map<String, ObservedState> perEnvironment() {
        Map<String, Map<String, ObservedResource>> found = new java.util.HashMap<>();
        for (ObservedResource r : resources.values()) {
            found.computeIfAbsent(r.environment(), k -> new java.util.HashMap<>()).put(r.address(), r);
        }
        java.util.Set<String> names = new java.util.HashSet<>(found.keySet());
        names.addAll(regions.keySet());
        names.addAll(alarms.keySet());
        names.addAll(refusals.keySet());
        Map<String, ObservedState> out = new java.util.HashMap<>(names.size() * 2);
        for (String env : names) {
            out.put(env, new ObservedState(found.getOrDefault(env, Map.of()), one(regions, env), one(alarms, env),
                    one(refusals, env)));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static <V> Map<String, V> one(Map<String, V> byEnvironment, String env) {
        V value = byEnvironment.get(env);
        return value == null ? Map.of() : Map.of(env, value);
    }

    /** Only the resources of the named environments. */
    public ObservedState only(java.util.Set<String> environments) {
        Map<String, String> kept = new java.util.HashMap<>(regions);
        kept.keySet().retainAll(environments);
        Map<String, List<String>> firing = new java.util.HashMap<>(alarms);
        firing.keySet().retainAll(environments);
        Map<String, String> refused = new java.util.HashMap<>(refusals);
        refused.keySet().retainAll(environments);
        return ObservedState.of(resources.values().stream()
                .filter(r -> environments.contains(r.environment())).toList()).inRegions(kept).withAlarms(firing)
                .withRefusals(refused);
    }

    /** The environment names that have at least one live resource. */
    public java.util.SortedSet<String> environments() {
        return resources.values().stream()
                .map(ObservedResource::environment)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
