package io.terrace.planner;

import io.terrace.schema.EnvironmentSpec.Range;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * Turns desired resources into the live resources an apply would leave behind, so a test can
 * start from "everything is in place" and change one thing.
 */
final class LiveState {

    private LiveState() {}

    /** Live resources equal to {@code desired}, each range at its midpoint. */
    static ObservedState of(Collection<Resource> desired) {
        return of(desired, r -> (r.min() + r.max()) / 2);
    }

    static ObservedState of(Collection<Resource> desired, ToIntFunction<Range> pick) {
        Map<String, ObservedResource> out = new LinkedHashMap<>();
        for (Resource r : desired) {
            out.put(r.address(), resource(r, pick));
        }
        // The live values others refer to (endpoints, the master secret's ARN), made up...
        for (Resource r : desired) {
            r.attributes().values().forEach(v -> LiveRef.refsIn(v).forEach(ref -> {
                ObservedResource o = out.get(ref.address());
                if (o != null && !o.attributes().containsKey(ref.attribute())) {
                    out.put(ref.address(), withAttribute(o, ref.attribute(), ref.attribute() + "." + o.id()));
                }
            }));
        }
        // ...and what the referring resources were applied with.
        for (Resource r : desired) {
            if (!r.referencedAddresses().isEmpty()) {
                Resource applied = r.resolved(a -> java.util.Optional.ofNullable(out.get(a)));
                out.put(r.address(), resource(applied, pick));
            }
        }
        return ObservedState.of(List.copyOf(out.values()));
    }

    static ObservedResource resource(Resource r, ToIntFunction<Range> pick) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        r.attributes().forEach((k, v) -> attributes.put(k, v instanceof Range range ? pick.applyAsInt(range) : v));
        // Drivers also report read-only facts the spec never mentions; the diff must ignore them.
        attributes.put("arn", "arn:aws:" + r.type().id() + ":eu-west-1:123456789012:" + r.name());
        return new ObservedResource(r.address(), r.type(), r.name(), attributes, r.tags());
    }

    /** {@code state} with the resource at {@code address} replaced by {@code change} of it. */
    static ObservedState change(ObservedState state, String address, UnaryOperator<ObservedResource> change) {
        Map<String, ObservedResource> m = new HashMap<>(state.resources());
        ObservedResource r = m.get(address);
        if (r == null) {
            throw new IllegalArgumentException("no live resource " + address);
        }
        m.put(address, change.apply(r));
        return new ObservedState(m);
    }

    static ObservedState without(ObservedState state, String address) {
        Map<String, ObservedResource> m = new HashMap<>(state.resources());
        if (m.remove(address) == null) {
            throw new IllegalArgumentException("no live resource " + address);
        }
        return new ObservedState(m);
    }

    static ObservedState plus(ObservedState state, ObservedState more) {
        Map<String, ObservedResource> m = new HashMap<>(state.resources());
        m.putAll(more.resources());
        return new ObservedState(m);
    }

    static ObservedResource withAttribute(ObservedResource r, String key, Object value) {
        Map<String, Object> a = new HashMap<>(r.attributes());
        a.put(key, value);
        return new ObservedResource(r.address(), r.type(), r.id(), a, r.tags());
    }

    static ObservedResource withTag(ObservedResource r, String key, String value) {
        Map<String, String> t = new HashMap<>(r.tags());
        if (value == null) {
            t.remove(key);
        } else {
            t.put(key, value);
        }
        return new ObservedResource(r.address(), r.type(), r.id(), r.attributes(), t);
    }

    /** Every resource of the state with {@code key=value} added to its tags. */
    static ObservedState tagAll(ObservedState state, String key, String value) {
        Map<String, ObservedResource> m = new HashMap<>();
        state.resources().forEach((a, r) -> m.put(a, withTag(r, key, value)));
        return new ObservedState(m);
    }
}
