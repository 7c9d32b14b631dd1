package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code maintenance.window}: outside it the disruptive changes (here a new database instance
 * class) wait, shown with the window's next start, while the rest applies; inside it, or with
 * {@code --now} (no time to check windows at), everything applies; without a window nothing waits.
 */
class MaintenanceWindowPlanTest {

    /** Friday 2026-12-04 08:00 UTC: outside a Sunday night window. */
    private static final Instant FRIDAY = Instant.parse("2026-12-04T08:00:00Z");
    private static final Instant SUNDAY_NIGHT = Instant.parse("2026-12-06T02:30:00Z");

    private static EnvironmentPlan plan(Optional<String> window, Optional<Instant> at) {
        SpecFixture before = SpecFixture.highlyAvailable("acme");
        ObservedState live = LiveState.of(DesiredState.compile(before.build()
                .withMaintenance(new EnvironmentSpec.Maintenance(window)), "r1"));
        EnvironmentSpec changed = SpecFixture.highlyAvailable("acme").with(f -> {
            f.dbClass = "db.r6g.xlarge";
            f.versioning = false;
        }).build().withMaintenance(new EnvironmentSpec.Maintenance(window));
        SpecSet specs = new SpecSet(List.of(new SpecResult.Valid("acme", "environments/acme.yaml", changed)),
                Optional.empty());
        return new Planner(new PlanOptions(false, at)).plan(specs, Map.of("acme", "r2"), live).environments().get(0);
    }

    private static Change change(EnvironmentPlan plan, String address) {
        return plan.changes().stream().filter(c -> c.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void outsideTheWindowDisruptiveChangesWaitAndTheRestApplies() {
        EnvironmentPlan plan = plan(Optional.of("sun:02:00-sun:04:00"), Optional.of(FRIDAY));

        String waits = "waits for maintenance window (next: Sun 2026-12-06 02:00 UTC)";
        assertEquals(Optional.of(waits), change(plan, "acme/database/writer").blockedReason());
        assertEquals(Optional.of(waits), change(plan, "acme/database/readers").blockedReason());
        assertTrue(change(plan, "acme/database/writer").deferred());
        assertFalse(change(plan, "acme/assets/bucket").blocked(), "versioning is not disruptive");
        assertEquals(List.of(), plan.blocked(), "nothing is refused");
        assertTrue(plan.applicable());
        assertEquals(Optional.of(Instant.parse("2026-12-06T02:00:00Z")), plan.windowOpens());

        EnvironmentPlan now = plan.withoutDeferred();
        assertEquals(List.of("acme/assets/bucket"), now.actions().stream().map(Change::address).toList());
        assertTrue(now.waves().stream().flatMap(List::stream).noneMatch(a -> a.startsWith("acme/database/")));

        String text = new TextPlanRenderer().render(new Plan(List.of(plan)));
        assertTrue(text.contains("  ~ update acme/database/writer (aws_rds_cluster_instance)\n      # " + waits + "\n"), text);
        assertTrue(text.contains("Deferred: 2 changes wait for the maintenance window; the rest applies now"), text);
        assertFalse(text.contains("Blocked:"), text);
        String comment = new MarkdownPlanRenderer("abc1234").render(new Plan(List.of(plan)));
        assertTrue(comment.contains("2 waiting for the maintenance window"), comment);
        assertTrue(comment.contains(waits), comment);
    }

    @Test
    void theWindowsAttributesAreDeclaredOptionalKeys() {
        EnvironmentSpec spec = SpecFixture.highlyAvailable("acme").build()
                .withMaintenance(new EnvironmentSpec.Maintenance(Optional.of("sun:02:00-sun:04:00")));
        for (Resource r : DesiredState.compile(spec, "r1")) {
            java.util.Set<String> extra = new java.util.TreeSet<>(r.attributes().keySet());
            extra.removeAll(AttributeKeys.managed(r.type()));
            assertTrue(AttributeKeys.optional(r.type()).containsAll(extra), r.address() + ": " + extra);
        }
        Resource cluster = DesiredState.compile(spec, "r1").stream()
                .filter(r -> r.address().equals("acme/database/cluster")).findFirst().orElseThrow();
        assertEquals("sun:02:00-sun:04:00", cluster.attributes().get(AttributeKeys.DbCluster.MAINTENANCE_WINDOW));
    }

    @Test
    void insideTheWindowWithNowOrWithoutAWindowEverythingApplies() {
        for (EnvironmentPlan plan : List.of(
                plan(Optional.of("sun:02:00-sun:04:00"), Optional.of(SUNDAY_NIGHT)),
                plan(Optional.of("sun:02:00-sun:04:00"), Optional.empty()),
                plan(Optional.empty(), Optional.of(FRIDAY)))) {
            assertEquals(List.of(), plan.deferred());
            assertFalse(change(plan, "acme/database/writer").blocked());
            assertEquals(plan, plan.withoutDeferred());
        }
    }

    @Test
    void theCacheGetsTheWindowAndItsSnapshotWindowTheHourBefore() {
        EnvironmentSpec spec = SpecFixture.highlyAvailable("acme").build()
                .withMaintenance(new EnvironmentSpec.Maintenance(Optional.of("sun:00:30-sun:02:00")));
        Resource cache = DesiredState.compile(spec, "r1").stream()
                .filter(r -> r.address().equals("acme/cache/replication-group")).findFirst().orElseThrow();
        assertEquals("sun:00:30-sun:02:00", cache.attributes().get(AttributeKeys.Cache.MAINTENANCE_WINDOW));
        assertEquals("23:30-00:30", io.terrace.schema.MaintenanceWindow.of("sun:00:30-sun:02:00").snapshotWindow());
        assertEquals("01:00-02:00", io.terrace.schema.MaintenanceWindow.of("sun:02:00-mon:01:00").snapshotWindow());
        EnvironmentSpec without = SpecFixture.highlyAvailable("acme").build();
        assertTrue(DesiredState.compile(without, "r1").stream()
                .filter(r -> r.address().equals("acme/cache/replication-group"))
                .noneMatch(r -> r.attributes().containsKey(AttributeKeys.Cache.MAINTENANCE_WINDOW)));
    }

    @Test
    void theCachesWindowIsComparedOnlyWhenObserved() {
        EnvironmentSpec spec = SpecFixture.highlyAvailable("acme").build()
                .withMaintenance(new EnvironmentSpec.Maintenance(Optional.of("sun:02:00-sun:04:00")));
        Resource cache = DesiredState.compile(spec, "r1").stream()
                .filter(r -> r.address().equals("acme/cache/replication-group")).findFirst().orElseThrow();
        Map<String, Object> unread = new java.util.LinkedHashMap<>(cache.attributes());
        unread.remove(AttributeKeys.Cache.MAINTENANCE_WINDOW);
        ObservedResource notDescribed = new ObservedResource(cache.address(), cache.type(), cache.name(), unread,
                cache.tags());
        assertFalse(ResourceDiff.of(cache, notDescribed).differs(), "an endpoint that does not describe the members");

        Map<String, Object> other = new java.util.LinkedHashMap<>(cache.attributes());
        other.put(AttributeKeys.Cache.MAINTENANCE_WINDOW, "wed:07:00-wed:08:00");
        ResourceDiff drifted = ResourceDiff.of(cache, new ObservedResource(cache.address(), cache.type(), cache.name(),
                other, cache.tags()));
        assertEquals(List.of(new AttributeChange(AttributeKeys.Cache.MAINTENANCE_WINDOW, "wed:07:00-wed:08:00",
                "sun:02:00-sun:04:00")), drifted.attributes());
    }
}
