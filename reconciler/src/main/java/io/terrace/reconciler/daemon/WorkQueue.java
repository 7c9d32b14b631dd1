package io.terrace.reconciler.daemon;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environments waiting for a reconcile pass, with why. Triggers for an environment that is
 * already waiting merge into its pending pass instead of queuing another: ten commits in a row
 * give one pass, not ten. A trigger that arrives while a pass runs gives one more pass after it.
 */
final class WorkQueue {

    private final Map<String, Set<Trigger>> pending = new ConcurrentHashMap<>();

    /** Adds a trigger; true when the environment was not waiting (the caller schedules a pass). */
    boolean offer(String environment, Trigger trigger) {
        boolean[] added = {false};
        pending.compute(environment, (k, v) -> {
            if (v == null) {
                added[0] = true;
                v = EnumSet.noneOf(Trigger.class);
            }
            v.add(trigger);
            return v;
        });
        return added[0];
    }

    /** Removes and returns the triggers of an environment's pass that is starting. */
    Set<Trigger> take(String environment) {
        Set<Trigger> t = pending.remove(environment);
        return t == null ? EnumSet.noneOf(Trigger.class) : t;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
