package io.terrace.drift;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.ResourceType;
import io.terrace.schema.DriftMode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one drift check of one environment found. Written to {@code <data>/reports/}, served on
 * {@code /api/drift} and counted in metrics.
 *
 * @param revision        the spec's revision (the commit that last changed its file)
 * @param appliedRevision the revision stamped on the environment's ECS cluster after its last
 *                        fully successful apply; empty when it was never applied
 * @param policy          what the reconciler does about drift: correct it, or only report it
 * @param pausedReason    set when a PAUSE file or {@code paused: true} stops corrections
 * @param resources       the drifted resources, by address; empty unless {@code DRIFTED}
 */
public record DriftReport(
        String environment,
        String revision,
        Optional<String> appliedRevision,
        Status status,
        DriftMode policy,
        Optional<String> pausedReason,
        List<DriftedResource> resources,
        Instant checkedAt) {

    public DriftReport {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(policy, "policy");
        resources = List.copyOf(resources);
    }

    /** The state of an environment as a drift check sees it. */
    public enum Status {
        /** Applied at the spec's revision and live matches the spec. */
        IN_SYNC,
        /** Applied at the spec's revision, but live differs: someone or something changed it. */
        DRIFTED,
        /**
         * Live was applied at another revision, or never: differences are changes the spec asks
         * for and the next apply makes, not drift.
         */
        PENDING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public boolean drifted() {
        return status == Status.DRIFTED;
    }

    /** The reconciler should issue a correction: drift found, policy correct, not paused. */
    public boolean correct() {
        return drifted() && policy == DriftMode.CORRECT && pausedReason.isEmpty();
    }

    /** One resource whose live state is not what the spec (at the applied revision) says. */
    public record DriftedResource(String address, ResourceType type, Kind kind, List<AttributeChange> attributes) {
        public DriftedResource {
            attributes = List.copyOf(attributes);
        }
    }

    /** How a resource drifted. */
    public enum Kind {
        /** Desired but not found live: deleted behind Terrace's back. */
        MISSING,
        /** Found, with attributes or tags that differ (before = live, after = desired). */
        CHANGED,
        /** Live, tagged as Terrace's, but no longer in the desired state. */
        UNEXPECTED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
