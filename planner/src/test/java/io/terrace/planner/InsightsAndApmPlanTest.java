package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.AttributeKeys.EcsTask;
import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which environments get Performance Insights and enhanced monitoring (business and enterprise
 * production), what {@code application.apm} adds, and how the diff treats Performance Insights
 * when the live answer does not carry it.
 */
class InsightsAndApmPlanTest {

    private static Map<String, Resource> compile(SpecFixture f) {
        Map<String, Resource> out = new java.util.TreeMap<>();
        DesiredState.compile(f.build(), "rev1").forEach(r -> out.put(r.address(), r));
        return out;
    }

    @Test
    void businessAndEnterpriseProductionMonitorEveryInstance() {
        for (Tier tier : List.of(Tier.BUSINESS, Tier.ENTERPRISE)) {
            Map<String, Resource> d = compile(SpecFixture.highlyAvailable("acme-production").with(f -> f.tier = tier));
            Resource role = d.get("acme-production/database/monitoring-role");
            assertEquals(ResourceNames.monitoringRole("acme-production"), role.name());
            assertEquals(List.of(RolePolicies.ENHANCED_MONITORING_POLICY), role.attributes().get(IamRole.MANAGED_POLICIES));
            assertFalse(role.attributes().containsKey(IamRole.POLICY), "no inline policy");
            assertTrue(role.attributes().get(IamRole.TRUST_POLICY).toString().contains("monitoring.rds.amazonaws.com"));
            for (String instances : List.of("writer", "readers")) {
                Resource r = d.get("acme-production/database/" + instances);
                assertEquals(60, r.attributes().get(DbInstances.MONITORING_INTERVAL), tier + " " + instances);
                assertEquals(role.name(), r.attributes().get(DbInstances.MONITORING_ROLE));
                assertEquals(true, r.attributes().get(DbInstances.PERFORMANCE_INSIGHTS));
                assertEquals(7, r.attributes().get(DbInstances.PERFORMANCE_INSIGHTS_RETENTION));
                assertTrue(r.dependsOn().contains(role.address()), "created after its monitoring role");
            }
        }
    }

    @Test
    void otherTiersAndStagesHaveNeither() {
        List<SpecFixture> others = List.of(
                SpecFixture.highlyAvailable("acme-staging").with(f -> {
                    f.stage = Stage.STAGING;
                    f.availability = io.terrace.schema.Availability.SINGLE_AZ;
                }),
                SpecFixture.env("acme-production").with(f -> f.stage = Stage.PRODUCTION),
                SpecFixture.env("blog-dev").with(f -> {
                    f.tier = Tier.DEVELOPER;
                    f.stage = Stage.DEVELOPMENT;
                }));
        for (SpecFixture f : others) {
            Map<String, Resource> d = compile(f);
            assertFalse(d.keySet().stream().anyMatch(a -> a.endsWith("/monitoring-role")), f.name);
            Resource writer = d.get(f.name + "/database/writer");
            assertEquals(0, writer.attributes().get(DbInstances.MONITORING_INTERVAL));
            assertEquals("", writer.attributes().get(DbInstances.MONITORING_ROLE));
            assertEquals(false, writer.attributes().get(DbInstances.PERFORMANCE_INSIGHTS));
        }
    }

    @Test
    void performanceInsightsIsComparedOnlyWhenReported() {
        Resource writer = compile(SpecFixture.highlyAvailable("acme-production")).get("acme-production/database/writer");
        Map<String, Object> live = new java.util.LinkedHashMap<>(writer.attributes());
        live.remove(DbInstances.PERFORMANCE_INSIGHTS);
        live.remove(DbInstances.PERFORMANCE_INSIGHTS_RETENTION);
        assertEquals(Action.NO_OP, diff(writer, live).action(), "not reported: not compared");
        live.put(DbInstances.PERFORMANCE_INSIGHTS, false);
        live.put(DbInstances.PERFORMANCE_INSIGHTS_RETENTION, 0L);
        assertEquals(List.of(DbInstances.PERFORMANCE_INSIGHTS, DbInstances.PERFORMANCE_INSIGHTS_RETENTION),
                diff(writer, live).attributes().stream().map(AttributeChange::path).toList(), "reported off: drift");
        live.remove(DbInstances.MONITORING_INTERVAL);
        assertTrue(diff(writer, live).attributes().stream().anyMatch(c -> c.path().equals(DbInstances.MONITORING_INTERVAL)),
                "other attributes missing from the live side are still a difference");
    }

    @Test
    void apmAddsTheCollectorTheEndpointAndXRayToWebOnly() {
        Map<String, Resource> off = compile(SpecFixture.env("acme"));
        Map<String, Resource> on = compile(SpecFixture.env("acme").with(f -> f.apm = true));
        Resource task = on.get("acme/web/task");
        assertEquals(List.of(Apm.sidecar()), task.attributes().get(EcsTask.SIDECARS));
        assertEquals(Apm.ENDPOINT, ((Map<?, ?>) task.attributes().get(EcsTask.ENVIRONMENT)).get(Apm.ENDPOINT_VARIABLE));
        assertEquals(List.of(Apm.XRAY_POLICY), on.get("acme/web/task-role").attributes().get(IamRole.MANAGED_POLICIES));
        assertEquals(List.of(), off.get("acme/web/task").attributes().get(EcsTask.SIDECARS));
        assertFalse(((Map<?, ?>) off.get("acme/web/task").attributes().get(EcsTask.ENVIRONMENT))
                .containsKey(Apm.ENDPOINT_VARIABLE));
        for (String c : List.of("cavalcade", "sandbox", "tachyon")) {
            assertEquals(off.get("acme/" + c + "/task").attributes(), on.get("acme/" + c + "/task").attributes(), c);
            assertEquals(off.get("acme/" + c + "/task-role").attributes(), on.get("acme/" + c + "/task-role").attributes(), c);
        }
    }

    private static ResourceDiff diff(Resource desired, Map<String, Object> live) {
        return ResourceDiff.of(desired, Optional.of(new ObservedResource(desired.address(), desired.type(), desired.name(),
                live, desired.tags())));
    }
}
