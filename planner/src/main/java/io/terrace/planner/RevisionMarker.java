package io.terrace.planner;

import java.util.Collection;
import java.util.Optional;

/**
 * The resource whose {@code terrace:revision} tag says "every resource of this environment was
 * applied at that revision": the environment's ECS cluster. The executor stamps it last, after a
 * fully successful apply; drift detection and the daemon read it. Defined here once.
 */
public final class RevisionMarker {

    /** The type of the marker resource. */
    public static final ResourceType TYPE = ResourceType.ECS_CLUSTER;

    private RevisionMarker() {}

    /** The marker's address in {@code environment}. */
    public static String address(String environment) {
        return Address.of(environment, Component.CLUSTER, "cluster");
    }

    /** The revision an environment was last fully applied at, read from its live marker. */
    public static Optional<String> appliedRevision(String environment, Collection<ObservedResource> live) {
        String address = address(environment);
        return live.stream().filter(o -> o.address().equals(address)).findFirst()
                .map(o -> o.tags().get(ObservedResource.REVISION));
    }
}
