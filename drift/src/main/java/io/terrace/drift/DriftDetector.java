package io.terrace.drift;

import io.terrace.drift.DriftReport.DriftedResource;
import io.terrace.drift.DriftReport.Kind;
import io.terrace.drift.DriftReport.Status;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Planner;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.RevisionMarker;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds drift in one environment: live state that differs from the spec although the environment
 * was applied at the spec's current revision (the {@code terrace:revision} tag on its
 * {@code <env>/cluster/cluster}, which the executor stamps last, after a fully successful apply).
 * At any other revision the differences are pending changes, and no drift is reported.
 *
 * <p>The comparison is the planner's own {@link ResourceDiff}: the same attributes, the same
 * ranges (an autoscaled count inside its range is not drift), the same tag rules. A desired
 * resource that is gone is drift; so is a live resource tagged as this environment's that the spec
 * no longer has. Live resources without Terrace's tags are someone else's and ignored.
 */
public final class DriftDetector {

    private final Clock clock;

    public DriftDetector(Clock clock) {
        this.clock = clock;
    }

    /**
     * Checks a valid spec against live state.
     *
     * @param revision        the spec's revision
     * @param pauseFileReason the repository's PAUSE reason, if a PAUSE file exists
     * @param observed        live state; only this environment's resources are read
     */
    public DriftReport detect(EnvironmentSpec spec, String revision, Optional<String> pauseFileReason,
            ObservedState observed) {
        String env = spec.name();
        return detect(env, DesiredState.compile(spec, revision), revision, spec.drift(),
                Planner.pausedReason(pauseFileReason, spec.paused()), observed.environment(env));
    }

    /** Checks compiled desired resources against the environment's live resources. */
    public DriftReport detect(String environment, List<Resource> desired, String revision, DriftMode policy,
            Optional<String> pausedReason, List<ObservedResource> live) {
        Optional<String> applied = RevisionMarker.appliedRevision(environment, live);
        if (applied.isEmpty() || !applied.get().equals(revision)) {
            return new DriftReport(environment, revision, applied, Status.PENDING, policy, pausedReason, List.of(),
                    clock.instant());
        }
        Map<String, ObservedResource> liveByAddress = new HashMap<>();
        live.forEach(o -> liveByAddress.put(o.address(), o));
        List<DriftedResource> drifted = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (Resource r : desired) {
            wanted.add(r.address());
            Optional<ObservedResource> o = Optional.ofNullable(liveByAddress.get(r.address()));
            // A reference to another resource's live attribute is compared with its live value.
            ResourceDiff diff = ResourceDiff.of(r.resolved(a -> Optional.ofNullable(liveByAddress.get(a))), o);
            if (diff.differs()) {
                Kind kind = o.isEmpty() ? Kind.MISSING : Kind.CHANGED;
                drifted.add(new DriftedResource(r.address(), r.type(), kind, diff.attributes()));
            }
        }
        for (ObservedResource o : live) {
            if (!wanted.contains(o.address()) && o.isManagedByTerrace()) {
                drifted.add(new DriftedResource(o.address(), o.type(), Kind.UNEXPECTED,
                        ResourceDiff.deleting(o).attributes()));
            }
        }
        drifted.sort(Comparator.comparing(DriftedResource::address));
        return new DriftReport(environment, revision, applied, drifted.isEmpty() ? Status.IN_SYNC : Status.DRIFTED,
                policy, pausedReason, drifted, clock.instant());
    }
}
