package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedResource;
import java.util.Map;

/**
 * The rule checked before anything is modified or deleted: the live resource must carry
 * Terrace's {@code terrace:managed-by} tag and the {@code terrace:environment} tag of its own
 * environment. A same-named resource someone else made is never touched. {@link ManagedDriver}
 * checks it for every resource; a driver calls it only for what it touches besides its own
 * resource (one reader of a reader set, the service a task definition moves).
 */
public final class Ownership {

    private Ownership() {}

    /** @throws IllegalStateException naming the resource and the missing tags */
    public static void requireManaged(ObservedResource live, String verb) {
        requireManaged(live.address(), verb, live.type().id() + " " + live.id(), live.tags());
    }

    /**
     * The same rule for a resource met before it was observed, e.g. one reader of a reader set.
     *
     * @param address the address of the resource (or set) it belongs to: gives the environment
     * @param what    the resource, for the message
     */
    public static void requireManaged(String address, String verb, String what, Map<String, String> tags) {
        String env = io.terrace.planner.Address.environmentOf(address);
        if (!isManaged(env, tags)) {
            throw new IllegalStateException("refusing to " + verb + " " + what
                    + ": it does not carry " + ObservedResource.MANAGED_BY + "=terrace and "
                    + ObservedResource.ENVIRONMENT + "=" + env
                    + " (found " + terraceTags(tags) + "), so Terrace did not create it");
        }
    }

    /** For creates that find a resource already there: refuse unless it is ours. */
    public static void requireTakeOver(String address, String what, Map<String, String> tags) {
        String env = io.terrace.planner.Address.environmentOf(address);
        if (!isManaged(env, tags)) {
            throw new IllegalStateException("refusing to take over " + what + ": it already exists without "
                    + ObservedResource.MANAGED_BY + "=terrace and " + ObservedResource.ENVIRONMENT + "=" + env
                    + " (found " + terraceTags(tags) + ")");
        }
    }

    /** Whether a resource with these tags is Terrace's and belongs to the environment of {@code address}. */
    public static boolean isManagedAt(String address, Map<String, String> tags) {
        return isManaged(io.terrace.planner.Address.environmentOf(address), tags);
    }

    private static boolean isManaged(String env, Map<String, String> tags) {
        return "terrace".equals(tags.get(ObservedResource.MANAGED_BY)) && env.equals(tags.get(ObservedResource.ENVIRONMENT));
    }

    private static String terraceTags(Map<String, String> tags) {
        var ours = new java.util.TreeMap<String, String>();
        tags.forEach((k, v) -> {
            if (k.startsWith("terrace:")) {
                ours.put(k, v);
            }
        });
        return ours.isEmpty() ? "no terrace tags" : ours.toString();
    }
}
