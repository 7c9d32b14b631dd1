package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerraceTagsTest {

    private static final Map<String, String> OURS = Map.of(ObservedResource.MANAGED_BY, "terrace",
            ObservedResource.ENVIRONMENT, "acme", ObservedResource.REVISION, "r1");

    private static ObservedResource cache(Map<String, String> tags) {
        return new ObservedResource("acme/cache/replication-group", ResourceType.ELASTICACHE_REPLICATION_GROUP,
                "terrace-acme", Map.of(), tags);
    }

    @Test
    void aResourceWithTerracesTagsMayBeModified() {
        TerraceTags.requireManaged(cache(OURS), "modify");
    }

    @Test
    void aResourceWithoutTheManagedByTagIsRefusedWithAClearMessage() {
        var e = assertThrows(IllegalStateException.class, () -> TerraceTags.requireManaged(cache(Map.of("owner", "x")), "delete"));
        assertEquals("acme/cache/replication-group: refusing to delete terrace-acme: it lacks the tags "
                + "terrace:managed-by=terrace and terrace:environment=acme, so Terrace does not own it", e.getMessage());
    }

    @Test
    void anotherEnvironmentsResourceIsRefused() {
        Map<String, String> other = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, "acme-staging");
        assertThrows(IllegalStateException.class, () -> TerraceTags.requireManaged(cache(other), "modify"));
    }

    @Test
    void onlyChangedTagsAreSetAndOnlyStaleTerraceTagsRemoved() {
        Map<String, String> live = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.REVISION, "r1",
                ObservedResource.DECOMMISSION, "true", "owner-note", "kept");
        Map<String, String> desired = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.REVISION, "r2");
        assertEquals(Map.of(ObservedResource.REVISION, "r2"), TerraceTags.toSet(live, desired));
        assertEquals(List.of(ObservedResource.DECOMMISSION), TerraceTags.toRemove(live, desired));
    }
}
