package io.terrace.reconciler.aws;

import io.terrace.planner.Address;
import io.terrace.planner.Component;
import io.terrace.planner.RevisionMarker;

/**
 * The addresses observers give the resources they find; they match the ones
 * {@link io.terrace.planner.DesiredState} compiles, so live and desired meet in the diff.
 */
public final class Addresses {

    private Addresses() {}

    public static String of(String env, Component component, String resource) {
        return Address.of(env, component, resource);
    }

    public static String networkStack(String env) {
        return of(env, Component.NETWORK, "stack");
    }

    public static String ecsCluster(String env) {
        return RevisionMarker.address(env);
    }

    public static String taskDefinition(String env, Component component) {
        return of(env, component, "task");
    }

    public static String ecsService(String env, Component component) {
        return of(env, component, "service");
    }

    public static String assetsBucket(String env) {
        return of(env, Component.ASSETS, "bucket");
    }

    /** The environment part of an address. */
    public static String environment(String address) {
        return Address.environmentOf(address);
    }

    /** The component part of an address. */
    public static Component component(String address) {
        return Address.parse(address).component();
    }
}
