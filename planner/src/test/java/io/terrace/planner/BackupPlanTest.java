package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which environments get an AWS Backup plan (business and enterprise production), with what
 * retention (35 and 90 days), after which resources, and how the diff treats a plan observed
 * without its selection (an endpoint without the selection API).
 */
class BackupPlanTest {

    private static Map<String, Resource> compile(SpecFixture f) {
        Map<String, Resource> out = new TreeMap<>();
        DesiredState.compile(f.build(), "rev1").forEach(r -> out.put(r.address(), r));
        return out;
    }

    @Test
    void businessAndEnterpriseProductionHaveAPlanWithTheirRetention() {
        for (Tier tier : List.of(Tier.BUSINESS, Tier.ENTERPRISE)) {
            Map<String, Resource> d = compile(SpecFixture.highlyAvailable("acme-production").with(f -> f.tier = tier));
            Resource role = d.get("acme-production/database/backup-role");
            assertEquals("terrace-acme-production-backup", role.name());
            assertEquals(List.of(RolePolicies.BACKUP_POLICY), role.attributes().get(IamRole.MANAGED_POLICIES));
            assertTrue(role.attributes().get(IamRole.TRUST_POLICY).toString().contains("backup.amazonaws.com"));
            assertFalse(role.attributes().containsKey(IamRole.POLICY), "no inline policy");

            Resource plan = d.get("acme-production/database/backup");
            assertEquals(ResourceType.BACKUP_PLAN, plan.type());
            assertEquals("terrace-acme-production", plan.name());
            assertEquals("terrace-acme-production", plan.attributes().get(Backup.VAULT));
            assertEquals("cron(0 3 * * ? *)", plan.attributes().get(Backup.SCHEDULE));
            assertEquals(tier == Tier.ENTERPRISE ? 90 : 35, plan.attributes().get(Backup.RETENTION_DAYS), tier.toString());
            assertEquals(role.name(), plan.attributes().get(Backup.SELECTION_ROLE));
            assertEquals(List.of("terrace-acme-production"), plan.attributes().get(Backup.SELECTION_RESOURCES));
            assertTrue(plan.dependsOn().containsAll(List.of(role.address(), "acme-production/database/cluster")),
                    "made after the cluster it selects and the role: " + plan.dependsOn());
            assertEquals("terrace", plan.tags().get(ObservedResource.MANAGED_BY));
        }
    }

    @Test
    void otherTiersAndStagesHaveNone() {
        List<SpecFixture> others = List.of(
                SpecFixture.highlyAvailable("acme-staging").with(f -> {
                    f.stage = Stage.STAGING;
                    f.availability = io.terrace.schema.Availability.SINGLE_AZ;
                }),
                SpecFixture.env("shop-production").with(f -> f.stage = Stage.PRODUCTION),
                SpecFixture.env("blog-dev").with(f -> {
                    f.tier = Tier.DEVELOPER;
                    f.stage = Stage.DEVELOPMENT;
                }));
        for (SpecFixture f : others) {
            assertFalse(compile(f).keySet().stream().anyMatch(a -> a.contains("/database/backup")), f.name);
        }
    }

    @Test
    void aPlanObservedWithoutItsSelectionIsNotChangedForIt() {
        Resource plan = compile(SpecFixture.highlyAvailable("acme-production")).get("acme-production/database/backup");
        Map<String, Object> live = new LinkedHashMap<>(plan.attributes());
        live.remove(Backup.SELECTION_ROLE);
        live.remove(Backup.SELECTION_RESOURCES);
        assertEquals(Action.NO_OP, diff(plan, live).action(), "no selection reported: not compared");
        live.put(Backup.SELECTION_ROLE, "");
        live.put(Backup.SELECTION_RESOURCES, List.of());
        assertEquals(List.of(Backup.SELECTION_RESOURCES, Backup.SELECTION_ROLE), diff(plan, live).attributes().stream()
                .map(AttributeChange::path).sorted().toList(), "reported without one: both differ");
        live.put(Backup.SELECTION_ROLE, plan.attributes().get(Backup.SELECTION_ROLE));
        live.put(Backup.SELECTION_RESOURCES, plan.attributes().get(Backup.SELECTION_RESOURCES));
        live.put(Backup.VAULT, "");
        assertEquals(List.of(Backup.VAULT), diff(plan, live).attributes().stream().map(AttributeChange::path).toList(),
                "the vault gone is a change");
    }

    private static ResourceDiff diff(Resource desired, Map<String, Object> live) {
        return ResourceDiff.of(desired, Optional.of(new ObservedResource(desired.address(), desired.type(), "plan-id",
                live, desired.tags())));
    }
}
