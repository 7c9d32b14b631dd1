package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Planner PLANNER = new Planner(PlanOptions.DEFAULT);

    private static SpecSet specs(SpecFixture... envs) {
        return new SpecSet(java.util.Arrays.stream(envs).map(f -> (SpecResult) f.result()).toList(), Optional.empty());
    }

    private static ObservedState live(SpecFixture f) {
        return LiveState.of(DesiredState.compile(f.build(), "r1"));
    }

    private static Plan plan(SpecSet specs, ObservedState observed) {
        return PLANNER.plan(specs, Map.of("acme", "r2", "beta", "r2"), observed);
    }

    private static Change change(Plan plan, String address) {
        return plan.environments().stream().flatMap(e -> e.changes().stream())
                .filter(c -> c.address().equals(address)).findFirst().orElseThrow(() -> new AssertionError("no change " + address));
    }

    private static String actions(EnvironmentPlan env) {
        return String.join("\n", env.actions().stream().map(c -> c.action().id() + " " + c.address()
                + c.blockedReason().map(r -> " [" + r + "]").orElse("")).toList());
    }

    @Test
    void createsEveryResourceOfANewEnvironmentInDependencyWaves() {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        EnvironmentPlan env = plan(specs(acme), ObservedState.EMPTY).environments().get(0);

        List<Resource> desired = DesiredState.compile(acme.build(), "r2");
        assertEquals(desired.size(), env.actions().size());
        assertTrue(env.actions().stream().allMatch(c -> c.action() == Action.CREATE));
        // The load balancer's certificate comes before the stack whose HTTPS listener uses it.
        assertEquals(List.of("acme/network/certificate"), env.waves().get(0));
        assertEquals(List.of("acme/network/stack"), env.waves().get(1));
        assertEquals(List.of("acme/cdn/distribution"), env.waves().get(env.waves().size() - 1));
        for (Component c : Component.values()) {
            assertTrue(env.actions().stream().anyMatch(ch -> ch.component() == c), "a create for " + c);
        }
        // Every change comes after everything it depends on.
        Map<String, Integer> waveOf = new java.util.HashMap<>();
        for (int i = 0; i < env.waves().size(); i++) {
            for (String a : env.waves().get(i)) {
                waveOf.put(a, i);
            }
        }
        for (Resource r : desired) {
            for (String dep : r.dependsOn()) {
                assertTrue(waveOf.get(dep) < waveOf.get(r.address()), r.address() + " after " + dep);
            }
        }
    }

    @Test
    void plansNoChangesWhenLiveMatchesAndOnlyTheRevisionTagDiffers() {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        Plan plan = plan(specs(acme), live(acme));
        assertFalse(plan.hasChanges(), () -> actions(plan.environments().get(0)));
        assertEquals("r2", plan.environments().get(0).revision());
    }

    @Test
    void autoscaledCountInsideTheRangeIsNotAChange() {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/web/service",
                r -> LiveState.withAttribute(r, "desiredCount", 17L));
        assertFalse(plan(specs(acme), observed).hasChanges());
    }

    @Test
    void autoscaledCountOutsideTheRangeIsClampedIntoIt() {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/web/service",
                r -> LiveState.withAttribute(r, "desiredCount", 40L));
        Change c = change(plan(specs(acme), observed), "acme/web/service");
        assertEquals(Action.UPDATE, c.action());
        assertEquals(List.of(new AttributeChange("desiredCount", 40L, 20)), c.attributes());
    }

    @Test
    void switchingEgressAndAnOlderTemplateUpdateTheNetworkStackInPlace() {
        SpecFixture acme = SpecFixture.highlyAvailable("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/network/stack",
                r -> LiveState.withAttribute(LiveState.withAttribute(r, "egress", "nat"), "templateRevision", 1L));
        Change c = change(plan(specs(acme.with(f -> f.egress = io.terrace.schema.Egress.ENDPOINTS)), observed),
                "acme/network/stack");
        assertEquals(Action.UPDATE, c.action());
        assertEquals(List.of(new AttributeChange("egress", "nat", "endpoints"),
                new AttributeChange("templateRevision", 1L, DesiredState.NETWORK_TEMPLATE_REVISION)), c.attributes());
    }

    @Test
    void numbersReadAsLongEqualDesiredInts() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/web/task",
                r -> LiveState.withAttribute(r, "cpu", 512L));
        assertFalse(plan(specs(acme), observed).hasChanges());
    }

    @Test
    void tagDifferencesAreUpdates() {
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.tags = Map.of("cost-centre", "web"));
        ObservedState observed = LiveState.change(live(acme), "acme/cache/replication-group",
                r -> LiveState.withTag(r, "cost-centre", "ops"));
        Change c = change(plan(specs(acme), observed), "acme/cache/replication-group");
        assertEquals(Action.UPDATE, c.action());
        assertEquals(List.of(new AttributeChange("tags.cost-centre", "ops", "web")), c.attributes());
    }

    @Test
    void liveTagsTerraceDoesNotSetAreLeftAlone() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/assets/bucket",
                r -> LiveState.withTag(LiveState.withTag(r, "owner", "finance"), "aws:cloudformation:stack-id", "x"));
        assertFalse(plan(specs(acme), observed).hasChanges());
    }

    @Test
    void aSpecTagDroppedFromTheSpecIsPlannedAsARemovalAndAHandAddedTagStays() {
        SpecFixture before = SpecFixture.env("acme").with(f -> f.tags = Map.of("cost-centre", "web", "owner", "ops"));
        SpecFixture after = SpecFixture.env("acme").with(f -> f.tags = Map.of("owner", "ops"));
        ObservedState observed = LiveState.tagAll(live(before), "team", "by-hand");

        Plan plan = plan(specs(after), observed);

        Change c = change(plan, "acme/assets/bucket");
        assertEquals(Action.UPDATE, c.action());
        assertEquals(List.of(new AttributeChange("tags.cost-centre", "web", null),
                new AttributeChange("tags.terrace:tags", "cost-centre/owner", "owner")), c.attributes());
        assertTrue(plan.environments().get(0).actions().stream().allMatch(a -> a.action() == Action.UPDATE
                && a.attributes().stream().noneMatch(x -> x.path().equals("tags.team"))), () -> actions(plan.environments().get(0)));
        String text = new TextPlanRenderer().render(plan);
        assertTrue(text.contains("  ~ update acme/assets/bucket (aws_s3_bucket)\n      tags.cost-centre: \"web\" -> null\n"),
                text);
    }

    @Test
    void theLastSpecTagDroppedRemovesItAndItsRecord() {
        SpecFixture before = SpecFixture.env("acme").with(f -> f.tags = Map.of("cost-centre", "web"));
        ObservedState observed = LiveState.tagAll(live(before), "team", "by-hand");

        Change c = change(plan(specs(SpecFixture.env("acme")), observed), "acme/assets/bucket");

        assertEquals(List.of(new AttributeChange("tags.cost-centre", "web", null),
                new AttributeChange("tags.terrace:tags", "cost-centre", null)), c.attributes());
    }

    @Test
    void aTagSetBeforeTagsWereRecordedIsNeverRemoved() {
        // Resources tagged before the terrace:tags record existed: the planner cannot tell a spec
        // tag from a hand-added one, so it keeps both and only writes the record.
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.tags = Map.of("owner", "ops"));
        ObservedState observed = LiveState.change(live(acme), "acme/assets/bucket",
                r -> LiveState.withTag(LiveState.withTag(r, "cost-centre", "web"), "terrace:tags", null));

        Change c = change(plan(specs(acme), observed), "acme/assets/bucket");

        assertEquals(List.of(new AttributeChange("tags.terrace:tags", null, "owner")), c.attributes());
    }

    @Test
    void replaceOnAttributeForcesAReplacement() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/web/service",
                r -> LiveState.withAttribute(r, "launchType", "EC2"));
        Change c = change(plan(specs(acme), observed), "acme/web/service");
        assertEquals(Action.REPLACE, c.action());
        assertTrue(c.destructive());
        assertFalse(c.blocked(), "ECS services hold no data");
    }

    @Test
    void replacingADataBearingResourceIsBlocked() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/database/cluster",
                r -> LiveState.withAttribute(r, "engine", "aurora-postgresql"));
        Plan plan = plan(specs(acme), observed);
        Change c = change(plan, "acme/database/cluster");
        assertEquals(Action.REPLACE, c.action());
        assertEquals(Optional.of("would destroy the data of acme/database/cluster: decommission the environment "
                + "first, or use --allow-destroy"), c.blockedReason());
        assertFalse(plan.environments().get(0).applicable());

        Plan allowed = new Planner(new PlanOptions(true)).plan(specs(acme), Map.of(), observed);
        assertFalse(change(allowed, "acme/database/cluster").blocked());
    }

    @Test
    void deletesWhatTheSpecNoLongerWants() {
        SpecFixture before = SpecFixture.highlyAvailable("acme");
        SpecFixture after = SpecFixture.highlyAvailable("acme").with(f -> {
            f.sandbox = false;
            f.proxy = false;
            f.readers = new Range(0, 0);
            f.availability = io.terrace.schema.Availability.SINGLE_AZ;
            f.replicas = 0;
            f.searchNodes = 1;
            f.cdn = false;
        });
        EnvironmentPlan env = plan(specs(after), live(before)).environments().get(0);
        List<String> deletes = env.actions().stream().filter(c -> c.action() == Action.DELETE).map(Change::address).toList();
        // Without the CDN, the load balancer needs no certificate either.
        // The web ACL goes after the distribution that used it.
        assertEquals(List.of("acme/cdn/distribution", "acme/monitoring/search-cluster-yellow", "acme/sandbox/service",
                "acme/cdn/web-acl", "acme/monitoring/database-replica-lag", "acme/sandbox/task", "acme/cdn/certificate",
                "acme/sandbox/logs",
                "acme/sandbox/task-role", "acme/database/proxy", "acme/database/reader-scaling", "acme/database/readers",
                "acme/network/certificate"), deletes);
        assertTrue(env.blocked().isEmpty(), "readers, proxy, sandbox (its logs too) and CDN hold no data: " + actions(env));
    }

    @Test
    void deletedSpecFileGivesABlockedDeletionPlan() {
        SpecFixture acme = SpecFixture.env("acme");
        Plan plan = plan(specs(), live(acme));
        EnvironmentPlan env = plan.environments().get(0);
        assertEquals("acme", env.name());
        assertTrue(env.tier().isEmpty());
        assertEquals(DesiredState.compile(acme.build(), "r1").size(), env.actions().size());
        assertTrue(env.actions().stream().allMatch(c -> c.action() == Action.DELETE && c.blocked()));
        assertEquals(Optional.of(EnvironmentPlanner.NOT_DECOMMISSIONED), change(plan, "acme/cdn/distribution").blockedReason());
        // The CDN goes in the first wave, the network's certificate alone in the last, after its
        // stack: reverse dependency order.
        assertTrue(env.waves().get(0).contains("acme/cdn/distribution"), env.waves().toString());
        assertEquals(List.of("acme/network/stack"), env.waves().get(env.waves().size() - 2));
        assertEquals(List.of("acme/network/certificate"), env.waves().get(env.waves().size() - 1));
    }

    @Test
    void deletedSpecFileOfADecommissionedEnvironmentIsNotBlocked() {
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.decommission = true);
        EnvironmentPlan env = plan(specs(), live(acme)).environments().get(0);
        assertTrue(env.hasChanges());
        assertTrue(env.applicable(), actions(env));
        assertTrue(env.actions().stream().allMatch(c -> c.action() == Action.DELETE));
    }

    @Test
    void decommissionTagsEveryResourceAndLiftsDeletionProtection() {
        SpecFixture before = SpecFixture.env("acme");
        SpecFixture after = SpecFixture.env("acme").with(f -> f.decommission = true);
        EnvironmentPlan env = plan(specs(after), live(before)).environments().get(0);
        assertEquals(DesiredState.compile(after.build(), "r2").size(), env.actions().size());
        assertTrue(env.actions().stream().allMatch(c -> c.action() == Action.UPDATE && !c.blocked()));
        assertEquals(List.of(new AttributeChange("deletionProtection", true, false),
                        new AttributeChange("tags.terrace:decommission", null, "true")),
                change(new Plan(List.of(env)), "acme/database/cluster").attributes());
    }

    @Test
    void undoingADecommissionRemovesTheTag() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = LiveState.change(live(acme), "acme/assets/bucket",
                r -> LiveState.withTag(r, ObservedResource.DECOMMISSION, "true"));
        assertEquals(List.of(new AttributeChange("tags.terrace:decommission", "true", null)),
                change(plan(specs(acme), observed), "acme/assets/bucket").attributes());
    }

    @Test
    void unmanagedResourceWithTheSameNameIsNeverTouched() {
        SpecFixture acme = SpecFixture.env("acme");
        ObservedState observed = ObservedState.of(List.of(new ObservedResource("acme/assets/bucket",
                ResourceType.S3_BUCKET, "terrace-acme-assets", Map.of("versioning", false), Map.of("owner", "someone"))));
        Plan plan = plan(specs(acme), observed);
        Change bucket = change(plan, "acme/assets/bucket");
        assertEquals(Optional.of("exists but is not managed by Terrace"), bucket.blockedReason());
        Change tachyon = change(plan, "acme/tachyon/service");
        assertEquals(Optional.of("waits for acme/assets/bucket: exists but is not managed by Terrace"),
                tachyon.blockedReason());
        assertTrue(tachyon.waiting());
        assertFalse(change(plan, "acme/web/service").blocked(), "web does not need the bucket");
        assertTrue(change(plan, "acme/cdn/distribution").waiting(), "the CDN needs tachyon");
    }

    @Test
    void unmanagedLeftoverIsNeverDeleted() {
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.proxy = false);
        ObservedState observed = LiveState.plus(live(acme), ObservedState.of(List.of(new ObservedResource(
                "acme/database/proxy", ResourceType.RDS_PROXY, "terrace-acme-proxy", Map.of(), Map.of()))));
        Change c = change(plan(specs(acme), observed), "acme/database/proxy");
        assertEquals(Action.DELETE, c.action());
        assertEquals(Optional.of("exists but is not managed by Terrace"), c.blockedReason());
    }

    @Test
    void blockedDeletionHoldsBackTheDeletionsAfterIt() {
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.decommission = true);
        // Decommissioned, file deleted, but someone stripped the CDN's tags: it cannot be deleted,
        // so neither can what it points at (web, tachyon) nor what those need (the network).
        ObservedState observed = LiveState.change(live(acme), "acme/cdn/distribution",
                r -> new ObservedResource(r.address(), r.type(), r.id(), r.attributes(), Map.of()));
        Plan plan = plan(specs(), observed);
        String waits = "waits for acme/cdn/distribution: exists but is not managed by Terrace";
        assertEquals(Optional.of("exists but is not managed by Terrace"), change(plan, "acme/cdn/distribution").blockedReason());
        assertEquals(Optional.of(waits), change(plan, "acme/web/service").blockedReason());
        assertEquals(Optional.of(waits), change(plan, "acme/tachyon/service").blockedReason());
        assertEquals(Optional.of(waits), change(plan, "acme/network/stack").blockedReason());
        assertFalse(change(plan, "acme/sandbox/service").blocked(), "the sandbox does not serve the CDN");
        assertFalse(change(plan, "acme/cavalcade/scaling").blocked());
    }

    @Test
    void invalidSpecIsReportedBesideValidOnes() {
        var diag = new Diagnostic("environments/beta.yaml", 12, 5, "web.max is 80, tier standard allows at most 10");
        SpecSet set = new SpecSet(List.of(SpecFixture.env("acme").result(),
                new SpecResult.Invalid("beta", "environments/beta.yaml", List.of(diag))), Optional.empty());
        Plan plan = plan(set, live(SpecFixture.env("beta")));
        EnvironmentPlan beta = plan.environments().get(1);
        assertEquals("beta", beta.name());
        assertTrue(beta.invalid());
        assertTrue(beta.changes().isEmpty(), "an invalid spec never deletes what is live");
        assertEquals(List.of(diag), beta.diagnostics());
        assertTrue(plan.environments().get(0).hasChanges());
        assertTrue(plan.hasErrors());
    }

    @Test
    void pauseFileAndPausedSpecAreReported() {
        SpecFixture acme = SpecFixture.env("acme").with(f -> f.paused = true);
        SpecFixture beta = SpecFixture.env("beta");
        Plan plan = plan(specs(acme, beta), ObservedState.EMPTY);
        assertEquals(Optional.of("paused: true in spec"), plan.environments().get(0).pausedReason());
        assertEquals(Optional.empty(), plan.environments().get(1).pausedReason());
        assertTrue(plan.environments().get(0).hasChanges(), "paused environments are still planned");

        Plan paused = PLANNER.plan(new SpecSet(specs(acme, beta).results(), Optional.of("incident 42")), Map.of(),
                ObservedState.EMPTY);
        assertEquals(Optional.of("PAUSE file: incident 42"), paused.environments().get(0).pausedReason());
        assertEquals(Optional.of("PAUSE file: incident 42"), paused.environments().get(1).pausedReason());
    }

    @Test
    void environmentsAreInNameOrderAndChangesByWaveThenAddress() {
        Plan plan = plan(specs(SpecFixture.env("beta"), SpecFixture.env("acme")),
                live(SpecFixture.env("zulu")));
        assertEquals(List.of("acme", "beta", "zulu"), plan.environments().stream().map(EnvironmentPlan::name).toList());
        EnvironmentPlan acme = plan.environments().get(0);
        List<String> flattened = acme.waves().stream().flatMap(List::stream).toList();
        assertEquals(flattened, acme.actions().stream().map(Change::address).toList());
        for (List<String> wave : acme.waves()) {
            assertEquals(wave.stream().sorted().toList(), wave);
        }
    }

    @Test
    void missingRevisionIsUnknown() {
        Plan plan = PLANNER.plan(specs(SpecFixture.env("acme")), Map.of(), ObservedState.EMPTY);
        assertEquals("unknown", plan.environments().get(0).revision());
        EnvironmentSpec spec = SpecFixture.env("acme").build();
        assertEquals("unknown", change(plan, "acme/web/service").desired().orElseThrow().tags().get(ObservedResource.REVISION));
        assertEquals(spec.name(), plan.environments().get(0).name());
    }
}
