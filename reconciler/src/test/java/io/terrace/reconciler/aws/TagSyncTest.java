package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.autoscaling.ScalingTargets;
import io.terrace.reconciler.aws.ecs.EcsResources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.Ownership;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which tags drivers set and remove, and the ownership rule they check first. */
class TagSyncTest {

    @Test
    void setsWhatDiffersAndRemovesOnlyTerraceKeysNoLongerWanted() {
        Map<String, String> live = Map.of("terrace:managed-by", "terrace", "terrace:decommission", "true",
                "terrace:revision", "old", "owner", "finance", "cost-centre", "web");
        Map<String, String> desired = Map.of("terrace:managed-by", "terrace", "cost-centre", "shop");

        TagSync sync = TagSync.between(live, desired);

        assertEquals(Map.of("cost-centre", "shop"), sync.set());
        assertEquals(List.of("terrace:decommission"), sync.remove(),
                "someone's owner tag stays; the revision tag belongs to the executor");
    }

    @Test
    void aSpecTagDroppedFromTheSpecIsRemovedAndAHandAddedTagIsNot() {
        Map<String, String> live = Map.of("terrace:managed-by", "terrace", "terrace:tags", "cost-centre/team=/owner",
                "cost-centre", "web", "team/owner", "ops", "owner", "finance");
        Map<String, String> desired = Map.of("terrace:managed-by", "terrace", "terrace:tags", "team=/owner",
                "team/owner", "ops");

        TagSync sync = TagSync.between(live, desired);

        assertEquals(Map.of("terrace:tags", "team=/owner"), sync.set());
        assertEquals(List.of("cost-centre"), sync.remove(), "the hand-added owner tag is not in the record: it stays");
    }

    @Test
    void droppingTheLastSpecTagRemovesItAndTheRecord() {
        Map<String, String> live = Map.of("terrace:managed-by", "terrace", "terrace:tags", "cost-centre",
                "cost-centre", "web", "owner", "finance");

        TagSync sync = TagSync.between(live, Map.of("terrace:managed-by", "terrace"));

        assertEquals(List.of("cost-centre", "terrace:tags"), sync.remove());
    }

    @Test
    void aRecordEditedByHandNeverRemovesReservedOrUnrecordedTags() {
        Map<String, String> live = Map.of("terrace:managed-by", "terrace", "terrace:revision", "r1",
                "terrace:tags", "terrace:managed-by/terrace:revision/aws:x/owner", "owner", "finance");
        Map<String, String> desired = Map.of("terrace:managed-by", "terrace", "terrace:revision", "r1",
                "terrace:tags", "cost-centre", "cost-centre", "web");

        TagSync sync = TagSync.between(live, desired);

        assertEquals(List.of("owner"), sync.remove(), "the record named owner, so Terrace set it; nothing reserved goes");
        assertEquals(Map.of("terrace:tags", "cost-centre", "cost-centre", "web"), sync.set());
    }

    @Test
    void nothingToDoWhenLiveAlreadyCarriesEveryDesiredTag() {
        assertTrue(TagSync.between(Map.of("a", "1", "b", "2"), Map.of("a", "1")).isEmpty());
    }

    @Test
    void refusesToTouchAResourceWithoutTerraceTagsAndSaysWhatItFound() {
        var foreign = new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "terrace-acme-assets",
                Map.of(), Map.of("owner", "finance"));
        var otherEnvironment = new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "terrace-acme-assets",
                Map.of(), Map.of("terrace:managed-by", "terrace", "terrace:environment", "globex"));

        var e = assertThrows(IllegalStateException.class, () -> Ownership.requireManaged(foreign, "delete"));
        assertEquals("refusing to delete aws_s3_bucket terrace-acme-assets: it does not carry "
                + "terrace:managed-by=terrace and terrace:environment=acme (found no terrace tags), "
                + "so Terrace did not create it", e.getMessage());
        var other = assertThrows(IllegalStateException.class, () -> Ownership.requireManaged(otherEnvironment, "update"));
        assertTrue(other.getMessage().contains("found {terrace:environment=globex, terrace:managed-by=terrace}"),
                other.getMessage());
        Ownership.requireManaged(new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "b", Map.of(),
                Map.of("terrace:managed-by", "terrace", "terrace:environment", "acme")), "delete");
    }

    @Test
    void aMemberOfASetIsCheckedAgainstTheSetsEnvironment() {
        var e = assertThrows(IllegalStateException.class, () -> Ownership.requireManaged("acme/database/readers",
                "modify", "DB instance terrace-acme-reader-1", Map.of("terrace:managed-by", "terrace")));
        assertEquals("refusing to modify DB instance terrace-acme-reader-1: it does not carry "
                + "terrace:managed-by=terrace and terrace:environment=acme (found {terrace:managed-by=terrace}), "
                + "so Terrace did not create it", e.getMessage());
        Ownership.requireManaged("acme/database/readers", "modify", "DB instance terrace-acme-reader-1",
                Map.of("terrace:managed-by", "terrace", "terrace:environment", "acme"));
    }

    @Test
    void terracesOwnTagsLeftOverAreRemovedButNeverTheRevision() {
        Map<String, String> live = Map.of("terrace:managed-by", "terrace", "terrace:revision", "r1",
                "terrace:decommission", "true", "owner-note", "kept");
        Map<String, String> desired = Map.of("terrace:managed-by", "terrace", "terrace:revision", "r2");

        TagSync sync = TagSync.between(live, desired);

        assertEquals(Map.of("terrace:revision", "r2"), sync.set());
        assertEquals(List.of("terrace:decommission"), sync.remove(), "undoing a decommission drops its mark");
    }

    @Test
    void scalingTargetsBelongToWhatTheyScale() {
        assertEquals("acme/web/service", ScalingTargets.ownerAddress("acme/web/scaling"));
        assertEquals("acme/cavalcade/service", ScalingTargets.ownerAddress("acme/cavalcade/scaling"));
        assertEquals("acme/database/cluster", ScalingTargets.ownerAddress("acme/database/reader-scaling"));
    }

    @Test
    void taskDefinitionFamiliesAreReadFromArnsAndShortForms() {
        assertEquals("terrace-acme-web",
                EcsResources.family("arn:aws:ecs:eu-west-1:123456789012:task-definition/terrace-acme-web:7"));
        assertEquals("terrace-acme-web", EcsResources.family("terrace-acme-web:7"));
        assertEquals("terrace-acme-web", EcsResources.family("terrace-acme-web"));
    }
}
