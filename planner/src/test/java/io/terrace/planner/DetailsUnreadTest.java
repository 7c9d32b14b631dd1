package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A resource whose details are not read yet (a daemon's first reads spread over its detail
 * interval) is compared on what it has: what it lacks is no difference, what it has still is.
 */
class DetailsUnreadTest {

    private final Resource bucket = DesiredState.compile(new SpecGenerator(7L).next("acme-production"), "r1").stream()
            .filter(r -> r.type() == ResourceType.S3_BUCKET).findFirst().orElseThrow();
    private final ObservedResource live = LiveState.of(List.of(bucket)).resources().get(bucket.address());

    @Test
    void aResourceLackingItsUnreadDetailsDoesNotDiffer() {
        ObservedResource unread = live.withDetailsUnread(bucket.attributes().keySet());

        assertTrue(unread.detailsUnread());
        assertTrue(bucket.attributes().keySet().stream().noneMatch(unread.attributes()::containsKey), unread.toString());
        assertFalse(ResourceDiff.of(bucket, unread).differs(), () -> ResourceDiff.of(bucket, unread).toString());
    }

    @Test
    void theSameLackNotMarkedUnreadIsADifference() {
        Map<String, Object> without = new TreeMap<>(live.attributes());
        without.keySet().removeAll(bucket.attributes().keySet());
        ObservedResource lacking = new ObservedResource(live.address(), live.type(), live.id(), without, live.tags());

        ResourceDiff diff = ResourceDiff.of(bucket, lacking);
        assertEquals(Action.UPDATE, diff.action());
        assertEquals(bucket.attributes().size(), diff.attributes().size(), diff.toString());
    }

    @Test
    void whatAnUnreadResourceHasIsStillCompared() {
        String versioning = AttributeKeys.S3Bucket.VERSIONING;
        ObservedResource unread = live.withDetailsUnread(bucket.attributes().keySet().stream()
                .filter(k -> !k.equals(versioning)).toList());
        Map<String, Object> attributes = new TreeMap<>(unread.attributes());
        attributes.put(versioning, false);
        Map<String, String> tags = new TreeMap<>(unread.tags());
        tags.put(ObservedResource.COMPONENT, "not-assets");
        ObservedResource drifted = new ObservedResource(unread.address(), unread.type(), unread.id(), attributes, tags);

        ResourceDiff diff = ResourceDiff.of(bucket, drifted);
        assertEquals(List.of(versioning, ResourceDiff.TAG_PREFIX + ObservedResource.COMPONENT),
                diff.attributes().stream().map(AttributeChange::path).toList(), diff.toString());
    }
}
