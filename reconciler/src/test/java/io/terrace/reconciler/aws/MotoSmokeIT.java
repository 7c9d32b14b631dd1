package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test infrastructure itself: the real SDK clients reach the moto server over HTTP. */
@NeedsMoto
class MotoSmokeIT {

    @BeforeEach
    void reset() {
        Moto.reset();
    }

    @Test
    void createsAndReadsBackABucketAndAnEcsCluster() {
        try (AwsClients aws = Moto.clients()) {
            aws.s3.createBucket(b -> b.bucket("terrace-smoke-assets")
                    .createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
            aws.ecs.createCluster(c -> c.clusterName("terrace-smoke"));

            assertTrue(aws.s3.listBuckets().buckets().stream()
                    .anyMatch(b -> b.name().equals("terrace-smoke-assets")));
            var clusters = aws.ecs.describeClusters(d -> d.clusters("terrace-smoke")).clusters();
            assertEquals(1, clusters.size());
            assertEquals("ACTIVE", clusters.get(0).status());
            assertEquals(1L, aws.counter().snapshot().get("S3:CreateBucket"));
        }
    }
}
