package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Action;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.BlockedReason;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan kept for the dashboard holds what it shows, and not every resource's attributes. */
class LastPlanTest {

    @Test
    void keepsWhatTheDashboardShowsAndDropsTheResourcesAttributes() {
        Resource bucket = new Resource("acme/assets/bucket", ResourceType.S3_BUCKET, Component.ASSETS,
                "terrace-acme-assets", Map.of("versioning", true, "policy", "{\"Statement\":[]}"),
                Map.of("terrace:environment", "acme"), Set.of());
        ObservedResource live = new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "terrace-acme-assets",
                Map.of("versioning", false, "policy", "{\"Statement\":[]}"), Map.of("terrace:environment", "acme"));
        Change update = new Change(bucket.address(), bucket.type(), Action.UPDATE,
                List.of(new AttributeChange("versioning", false, true)), Optional.of(bucket), Optional.of(live),
                "versioning differs", Optional.of(BlockedReason.rule("waits for approval")));
        Change create = new Change("acme/web/logs", ResourceType.LOG_GROUP, Action.CREATE, List.of(),
                Optional.of(new Resource("acme/web/logs", ResourceType.LOG_GROUP, Component.WEB,
                        "/terrace/acme/web", Map.of("retentionDays", 30), Map.of(), Set.of())), Optional.empty(), "missing", Optional.empty());
        EnvironmentPlan plan = new EnvironmentPlan("acme", Optional.empty(), Optional.empty(), "rev1", Optional.empty(),
                List.of(update, create), List.of(List.of(create.address()), List.of(update.address())), List.of(),
                Optional.of("eu-west-1"));

        EnvironmentPlan kept = new LastPlan(Optional.of(plan), Optional.of("acme"), Optional.of("eu-west-1"),
                Optional.empty(), Map.of()).plan().orElseThrow();

        assertEquals(plan.waves(), kept.waves());
        assertEquals(plan.region(), kept.region());
        assertEquals(plan.changes().size(), kept.changes().size());
        for (int i = 0; i < plan.changes().size(); i++) {
            Change before = plan.changes().get(i);
            Change after = kept.changes().get(i);
            assertEquals(before.address(), after.address());
            assertEquals(before.type(), after.type());
            assertEquals(before.action(), after.action());
            assertEquals(before.attributes(), after.attributes());
            assertEquals(before.reason(), after.reason());
            assertEquals(before.blockedReason(), after.blockedReason());
            assertEquals(before.observed().map(ObservedResource::id), after.observed().map(ObservedResource::id));
            assertTrue(after.desired().isEmpty(), after.address() + ": no desired state kept");
            assertTrue(after.observed().map(o -> o.attributes().isEmpty() && o.tags().isEmpty()).orElse(true),
                    after.address() + ": no observed attributes kept");
        }
    }
}
