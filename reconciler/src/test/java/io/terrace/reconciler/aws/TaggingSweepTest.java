package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which ARNs a GetResources type filter lists: what one shared read hands each observer. */
class TaggingSweepTest {

    private static final Map<String, String> ARNS = Map.of(
            "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:terrace-blog-dev-web-cpu", "cloudwatch:alarm",
            "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:terrace-blog-dev", "elasticache",
            "arn:aws:es:eu-west-1:123456789012:domain/terrace-blog-dev", "es:domain",
            "arn:aws:kms:eu-west-1:123456789012:key/0b6f8ee6-7c6c-4b8e-9a59-1d1e4c3c9f4a", "kms:key",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/terrace/blog-dev/web", "logs",
            "arn:aws:rds:eu-west-1:123456789012:db-proxy:prx-0123456789abcdef0", "rds:db-proxy",
            "arn:aws:rds:eu-west-1:123456789012:es:terrace-blog-dev-events", "rds:es",
            "arn:aws:s3:::terrace-blog-dev-assets", "s3:bucket",
            "arn:aws:sns:eu-west-1:123456789012:terrace-blog-dev-alerts", "sns:topic");

    @Test
    void eachArnIsOfItsOwnTypeAlone() {
        ARNS.forEach((arn, type) -> TaggingSweep.OBSERVED_TYPES.forEach(filter ->
                assertEquals(filter.equals(type), TaggingSweep.isOfType(arn, filter), arn + " of " + filter)));
    }

    @Test
    void otherKindsOfTheSameServiceAreNot() {
        assertFalse(TaggingSweep.isOfType("arn:aws:rds:eu-west-1:123456789012:cluster:terrace-blog-dev", "rds:es"));
        assertFalse(TaggingSweep.isOfType("arn:aws:rds:eu-west-1:123456789012:cluster:terrace-blog-dev", "rds:db-proxy"));
        assertFalse(TaggingSweep.isOfType("arn:aws:kms:eu-west-1:123456789012:alias/terrace-blog-dev", "kms:key"));
        assertFalse(TaggingSweep.isOfType(
                "arn:aws:sns:eu-west-1:123456789012:terrace-blog-dev-alerts:9f0e2d1c-subscription", "sns:topic"));
        assertFalse(TaggingSweep.isOfType("arn:aws:cloudwatch:eu-west-1:123456789012:dashboard/terrace", "cloudwatch:alarm"));
        assertTrue(TaggingSweep.isOfType("arn:aws:elasticache:eu-west-1:123456789012:subnetgroup:terrace-blog-dev",
                "elasticache"), "a service filter lists every kind of the service");
    }

    @Test
    void everyObservedTypeHasAnExample() {
        assertEquals(new TreeMap<>(ARNS).values().stream().sorted().toList(),
                TaggingSweep.OBSERVED_TYPES.stream().sorted().toList());
        assertEquals(List.copyOf(TaggingSweep.OBSERVED_TYPES.stream().sorted().toList()), TaggingSweep.OBSERVED_TYPES,
                "kept sorted");
    }
}
