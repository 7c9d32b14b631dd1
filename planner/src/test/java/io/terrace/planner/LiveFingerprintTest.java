package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What moves a live-state fingerprint and what does not. */
class LiveFingerprintTest {

    private static final Map<String, String> TAGS = Map.of(
            "terrace:managed-by", "terrace", "terrace:environment", "acme", "terrace:revision", "abc123");

    private static ObservedResource service(Map<String, Object> extra) {
        Map<String, Object> attrs = new HashMap<>(Map.of("launchType", "FARGATE", "desiredCount", 3,
                "taskDefinition", "acme-web", "loadBalanced", true));
        attrs.putAll(extra);
        return new ObservedResource("acme/web/service", ResourceType.ECS_SERVICE, "arn:aws:ecs:svc/acme-web", attrs, TAGS);
    }

    private static ObservedResource bucket(boolean versioning) {
        return new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "acme-assets",
                Map.of("versioning", versioning, "encryption", "AES256"), TAGS);
    }

    @Test
    void isAStableSha256OfTheCanonicalDocument() {
        String f = LiveFingerprint.of(List.of(service(Map.of()), bucket(true)));

        assertTrue(f.matches("sha256:[0-9a-f]{64}"), f);
        assertEquals(f, LiveFingerprint.of(List.of(bucket(true), service(Map.of()))), "order of the sweep is irrelevant");
        assertEquals("[{\"address\":\"acme/assets/bucket\",\"attributes\":{\"encryption\":\"AES256\",\"versioning\":true},"
                + "\"id\":\"acme-assets\",\"tags\":{\"terrace:environment\":\"acme\",\"terrace:managed-by\":\"terrace\","
                + "\"terrace:revision\":\"abc123\"},\"type\":\"aws_s3_bucket\"}]",
                LiveFingerprint.canonicalJson(List.of(bucket(true))));
    }

    @Test
    void anOutOfBandEditMovesIt() {
        assertNotEquals(LiveFingerprint.of(List.of(bucket(true))), LiveFingerprint.of(List.of(bucket(false))));
    }

    @Test
    void aResourceAppearingOrVanishingMovesIt() {
        assertNotEquals(LiveFingerprint.of(List.of(bucket(true))), LiveFingerprint.of(List.of(bucket(true), service(Map.of()))));
        assertNotEquals(LiveFingerprint.of(List.of()), LiveFingerprint.of(List.of(bucket(true))));
    }

    @Test
    void anApplyMovesItThroughTheRevisionTag() {
        ObservedResource applied = new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "acme-assets",
                Map.of("versioning", true, "encryption", "AES256"), Map.of("terrace:managed-by", "terrace",
                        "terrace:environment", "acme", "terrace:revision", "def456"));

        assertNotEquals(LiveFingerprint.of(List.of(bucket(true))), LiveFingerprint.of(List.of(applied)));
    }

    @Test
    void ignoresAutoscaledCountsStatusesAndTimestamps() {
        String calm = LiveFingerprint.of(List.of(service(Map.of("status", "ACTIVE", "runningCount", 3))));
        String busy = LiveFingerprint.of(List.of(service(Map.of("desiredCount", 7, "status", "DRAINING",
                "runningCount", 5, "pendingCount", 2, "updatedAt", "2025-01-01T00:00:00Z"))));

        assertEquals(calm, busy);
    }

    @Test
    void comparesNumbersByValue() {
        ObservedResource asInt = new ObservedResource("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION,
                "E1", Map.of("pageTtl", 300, "aliases", List.of("a.example")), TAGS);
        ObservedResource asLong = new ObservedResource("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION,
                "E1", Map.of("pageTtl", 300L, "aliases", List.of("a.example")), TAGS);
        ObservedResource asDouble = new ObservedResource("acme/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION,
                "E1", Map.of("pageTtl", 300.0, "aliases", List.of("a.example")), TAGS);

        assertEquals(LiveFingerprint.of(List.of(asInt)), LiveFingerprint.of(List.of(asLong)));
        assertEquals(LiveFingerprint.of(List.of(asInt)), LiveFingerprint.of(List.of(asDouble)));
    }
}
