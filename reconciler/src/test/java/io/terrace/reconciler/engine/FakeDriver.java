package io.terrace.reconciler.engine;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A driver for every resource type that records what it was asked to do and fails where told to:
 * the executor's behaviour without AWS.
 */
final class FakeDriver implements ResourceDriver {

    /** Calls in the order they happened, as "create acme/network/stack". */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Failures to throw, per address, consumed one per call; an empty queue means success. */
    private final Map<String, java.util.Deque<Supplier<RuntimeException>>> failures = new ConcurrentHashMap<>();
    /** Per address: something to run inside the step (e.g. a readiness wait). */
    final Map<String, java.util.function.Consumer<DriverContext>> during = new ConcurrentHashMap<>();
    /** The desired resource each create or update was given, per address. */
    final Map<String, Resource> received = new ConcurrentHashMap<>();
    /** Per address: read-only attributes a create reports besides the desired ones (an endpoint). */
    final Map<String, Map<String, Object>> createdExtras = new ConcurrentHashMap<>();

    void failWith(String address, Supplier<RuntimeException> failure, int times) {
        var q = failures.computeIfAbsent(address, a -> new java.util.concurrent.ConcurrentLinkedDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(failure);
        }
    }

    /** This driver under every resource type, calls recorded in one place. */
    List<ResourceDriver> everyType() {
        return EnumSet.allOf(ResourceType.class).stream().<ResourceDriver>map(t -> new ForType(this, t)).toList();
    }

    @Override
    public ResourceType type() {
        return ResourceType.NETWORK_STACK;
    }

    /** Reads in the order they happened, as "read acme/a/b" or "readAll [acme/a/b, acme/a/c]". */
    final List<String> reads = new CopyOnWriteArrayList<>();
    /** Live before the apply, by address (read as another's: without Terrace's tags). */
    final Map<String, ObservedResource> existing = new ConcurrentHashMap<>();
    /** Whether readAll reads a kind's resources in one call, as a driver that overrides it does. */
    volatile boolean readsTogether;
    /** Thrown by the next readAll, once. */
    volatile RuntimeException readAllFailure;

    /** Nothing is live before the apply creates it, unless {@link #existing} says so. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        reads.add("read " + desired.address());
        return found(desired);
    }

    private LiveRead found(Resource desired) {
        ObservedResource live = existing.get(desired.address());
        return live == null ? LiveRead.ABSENT : new LiveRead.Present(live);
    }

    Map<String, LiveRead> readAllOf(List<Resource> desired, DriverContext context) {
        if (!readsTogether) {
            return ResourceDriver.super.readAll(desired, context);
        }
        reads.add("readAll " + desired.stream().map(Resource::address).sorted().toList());
        RuntimeException failure = readAllFailure;
        readAllFailure = null;
        if (failure != null) {
            throw failure;
        }
        Map<String, LiveRead> out = new java.util.LinkedHashMap<>();
        desired.forEach(r -> out.put(r.address(), found(r)));
        return out;
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        act("create", desired.address(), context);
        received.put(desired.address(), desired);
        Map<String, Object> attributes = new java.util.HashMap<>(desired.attributes());
        attributes.putAll(createdExtras.getOrDefault(desired.address(), Map.of()));
        return new ObservedResource(desired.address(), desired.type(), "id-" + desired.address(),
                attributes, desired.tags());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        act("update", desired.address(), context);
        received.put(desired.address(), desired);
        return new ObservedResource(desired.address(), desired.type(), live.id(), desired.attributes(), live.tags());
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        act("delete", live.address(), context);
    }

    private void act(String verb, String address, DriverContext context) {
        calls.add(verb + " " + address);
        var hook = during.get(address);
        if (hook != null) {
            hook.accept(context);
        }
        var q = failures.get(address);
        if (q != null) {
            Supplier<RuntimeException> f = q.poll();
            if (f != null) {
                throw f.get();
            }
        }
    }

    /** The fake as the driver of one type. */
    private record ForType(FakeDriver fake, ResourceType type) implements ResourceDriver {

        @Override
        public LiveRead read(Resource desired, DriverContext context) {
            return fake.read(desired, context);
        }

        @Override
        public Map<String, LiveRead> readAll(List<Resource> desired, DriverContext context) {
            return fake.readAllOf(desired, context);
        }

        @Override
        public ObservedResource create(Resource desired, DriverContext context) {
            return fake.create(desired, context);
        }

        @Override
        public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
                DriverContext context) {
            return fake.update(desired, live, changes, context);
        }

        @Override
        public void delete(ObservedResource live, DriverContext context) {
            fake.delete(live, context);
        }
    }
}
