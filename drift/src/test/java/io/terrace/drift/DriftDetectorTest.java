package io.terrace.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.drift.DriftReport.Kind;
import io.terrace.drift.DriftReport.Status;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.schema.Availability;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftDetectorTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final DriftDetector DETECTOR = new DriftDetector(Clock.fixed(NOW, ZoneOffset.UTC));
    static final String REVISION = "4f3c2b1";

    static EnvironmentSpec spec(DriftMode mode, boolean paused) {
        return new EnvironmentSpec("acme", "acme", Tier.BUSINESS, Stage.PRODUCTION, "eu-west-1", Availability.MULTI_AZ,
                paused, mode, false,
                new EnvironmentSpec.Application("registry.example.com/acme/app:1.42.0",
                        new EnvironmentSpec.Web(1024, 2048, 2, 20), new EnvironmentSpec.Sandbox(true), new Range(1, 10)),
                new EnvironmentSpec.Database("8.0", "db.r6g.large", new Range(1, 4), false),
                new EnvironmentSpec.Cache("cache.r6g.large", 1),
                new EnvironmentSpec.Search("OpenSearch_2.13", "m6g.large.search", 2),
                new EnvironmentSpec.Assets(true),
                new EnvironmentSpec.Cdn(true, List.of("www.acme.example"), "PriceClass_100", 300),
                Map.of());
    }

    static final EnvironmentSpec SPEC = spec(DriftMode.CORRECT, false);

    /** What a complete apply of SPEC at {@code revision} leaves live: counts at 7 / 2 / 3. */
    static Map<String, ObservedResource> applied(String revision) {
        Map<String, ObservedResource> live = new HashMap<>();
        for (Resource r : DesiredState.compile(SPEC, revision)) {
            Map<String, Object> attrs = new HashMap<>();
            r.attributes().forEach((k, v) -> attrs.put(k, v instanceof Range range ? (long) (range.min() + range.max()) / 2 : v));
            attrs.put("arn", "arn:aws:" + r.name());
            live.put(r.address(), new ObservedResource(r.address(), r.type(), r.name(), attrs, r.tags()));
        }
        // A value read from another resource (the KMS key's ARN on the log groups and the bucket)
        // is live as that resource has it.
        Map<String, ObservedResource> resolved = new HashMap<>();
        live.forEach((address, o) -> {
            Map<String, Object> attrs = new HashMap<>();
            o.attributes().forEach((k, v) -> attrs.put(k,
                    io.terrace.planner.LiveRef.resolve(v, a -> java.util.Optional.ofNullable(live.get(a)))));
            resolved.put(address, new ObservedResource(address, o.type(), o.id(), attrs, o.tags()));
        });
        return resolved;
    }

    static UnaryOperator<Map<String, ObservedResource>> setAttribute(String address, String key, Object value) {
        return live -> {
            ObservedResource r = live.get(address);
            Map<String, Object> attrs = new HashMap<>(r.attributes());
            attrs.put(key, value);
            live.put(address, new ObservedResource(address, r.type(), r.id(), attrs, r.tags()));
            return live;
        };
    }

    static UnaryOperator<Map<String, ObservedResource>> setTag(String address, String key, String value) {
        return live -> {
            ObservedResource r = live.get(address);
            Map<String, String> tags = new HashMap<>(r.tags());
            if (value == null) {
                tags.remove(key);
            } else {
                tags.put(key, value);
            }
            live.put(address, new ObservedResource(address, r.type(), r.id(), r.attributes(), tags));
            return live;
        };
    }

    static UnaryOperator<Map<String, ObservedResource>> remove(String address) {
        return live -> {
            live.remove(address);
            return live;
        };
    }

    static UnaryOperator<Map<String, ObservedResource>> add(ObservedResource r) {
        return live -> {
            live.put(r.address(), r);
            return live;
        };
    }

    static UnaryOperator<Map<String, ObservedResource>> both(UnaryOperator<Map<String, ObservedResource>> a,
            UnaryOperator<Map<String, ObservedResource>> b) {
        return live -> b.apply(a.apply(live));
    }

    static final Map<String, String> OURS = Map.of(ObservedResource.MANAGED_BY, "terrace",
            ObservedResource.ENVIRONMENT, "acme", ObservedResource.COMPONENT, "database", ObservedResource.REVISION, REVISION);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("live exactly as applied is in sync", UnaryOperator.identity(),
                        Status.IN_SYNC, List.of()),
                Arguments.of("an autoscaled count inside its range is not drift",
                        setAttribute("acme/web/service", "desiredCount", 19L), Status.IN_SYNC, List.of()),
                Arguments.of("read-only extras and foreign tags are not drift",
                        setTag("acme/assets/bucket", "owner", "finance"), Status.IN_SYNC, List.of()),
                Arguments.of("a count outside its range is drift, corrected into the range",
                        setAttribute("acme/web/service", "desiredCount", 40L), Status.DRIFTED,
                        List.of("changed acme/web/service desiredCount: 40 -> 20")),
                Arguments.of("a changed attribute is drift",
                        setAttribute("acme/cache/replication-group", "nodeType", "cache.t4g.small"), Status.DRIFTED,
                        List.of("changed acme/cache/replication-group nodeType: cache.t4g.small -> cache.r6g.large")),
                Arguments.of("a changed managed tag is drift",
                        setTag("acme/search/domain", ObservedResource.COMPONENT, "other"), Status.DRIFTED,
                        List.of("changed acme/search/domain tags.terrace:component: other -> search")),
                Arguments.of("a spec tag the spec has dropped, still live and recorded in terrace:tags, is drift",
                        both(setTag("acme/assets/bucket", "cost-centre", "web"),
                                setTag("acme/assets/bucket", "terrace:tags", "cost-centre")), Status.DRIFTED,
                        List.of("changed acme/assets/bucket tags.cost-centre: web -> null",
                                "changed acme/assets/bucket tags.terrace:tags: cost-centre -> null")),
                Arguments.of("a deleted resource is drift",
                        remove("acme/cdn/distribution"), Status.DRIFTED,
                        List.of("missing acme/cdn/distribution")),
                Arguments.of("a resource tagged as ours that the spec does not have is drift",
                        add(new ObservedResource("acme/database/proxy", ResourceType.RDS_PROXY, "p", Map.of(), OURS)),
                        Status.DRIFTED, List.of("unexpected acme/database/proxy")),
                Arguments.of("someone else's resource is not drift",
                        add(new ObservedResource("acme/database/proxy", ResourceType.RDS_PROXY, "p", Map.of(), Map.of())),
                        Status.IN_SYNC, List.of()),
                Arguments.of("applied at another revision: pending changes, not drift",
                        both(setTag("acme/cluster/cluster", ObservedResource.REVISION, "0ld0ld0"),
                                setAttribute("acme/web/service", "desiredCount", 40L)),
                        Status.PENDING, List.of()),
                Arguments.of("never applied (no cluster): pending, even with other resources live",
                        remove("acme/cluster/cluster"), Status.PENDING, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void detects(String reason, UnaryOperator<Map<String, ObservedResource>> change, Status status, List<String> drift) {
        ObservedState live = ObservedState.of(change.apply(applied(REVISION)).values());
        DriftReport report = DETECTOR.detect(SPEC, REVISION, Optional.empty(), live);
        assertEquals(status, report.status(), reason);
        List<String> found = new ArrayList<>();
        for (DriftReport.DriftedResource d : report.resources()) {
            String line = d.kind().id() + " " + d.address();
            if (d.kind() == Kind.CHANGED) {
                for (AttributeChange a : d.attributes()) {
                    found.add(line + " " + a.path() + ": " + a.before() + " -> " + a.after());
                }
            } else {
                found.add(line);
            }
        }
        assertEquals(drift, found, reason);
        assertEquals(NOW, report.checkedAt());
    }

    @Test
    void appliedRevisionIsReadFromTheClusterTag() {
        var live = ObservedState.of(applied("0ld0ld0").values());
        DriftReport report = DETECTOR.detect(SPEC, REVISION, Optional.empty(), live);
        assertEquals(Optional.of("0ld0ld0"), report.appliedRevision());
        assertEquals(Status.PENDING, report.status());
        assertFalse(report.correct());
    }

    @Test
    void policyAndPauseDecideWhetherDriftIsCorrected() {
        var live = ObservedState.of(remove("acme/cdn/distribution").apply(applied(REVISION)).values());
        assertTrue(DETECTOR.detect(SPEC, REVISION, Optional.empty(), live).correct(), "policy correct");
        DriftReport reportOnly = DETECTOR.detect(spec(DriftMode.REPORT, false), REVISION, Optional.empty(), live);
        assertTrue(reportOnly.drifted());
        assertFalse(reportOnly.correct(), "policy report");
        DriftReport pausedFile = DETECTOR.detect(SPEC, REVISION, Optional.of("incident 42"), live);
        assertEquals(Optional.of("PAUSE file: incident 42"), pausedFile.pausedReason());
        assertFalse(pausedFile.correct());
        DriftReport pausedSpec = DETECTOR.detect(spec(DriftMode.CORRECT, true), REVISION, Optional.empty(), live);
        assertEquals(Optional.of("paused: true in spec"), pausedSpec.pausedReason());
        assertFalse(pausedSpec.correct());
    }

    @Test
    void otherEnvironmentsInTheObservedStateAreIgnored() {
        Map<String, ObservedResource> live = applied(REVISION);
        live.put("acmeother/database/proxy", new ObservedResource("acmeother/database/proxy", ResourceType.RDS_PROXY,
                "p", Map.of(), Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, "acmeother")));
        assertEquals(Status.IN_SYNC, DETECTOR.detect(SPEC, REVISION, Optional.empty(), ObservedState.of(live.values())).status());
    }
}
