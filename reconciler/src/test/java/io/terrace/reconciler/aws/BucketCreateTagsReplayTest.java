package io.terrace.reconciler.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.s3.S3BucketDriver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What S3 receives when Terrace creates a bucket, which moto cannot show (it ignores tags in
 * CreateBucket): the bucket's tags travel in the CreateBucket request itself, so a daemon killed
 * before its PutBucketTagging leaves a bucket that is already Terrace's. Here S3 refuses the
 * PutBucketTagging that follows, as if the process had stopped there.
 */
class BucketCreateTagsReplayTest {

    private static final Pattern TAG = Pattern.compile("<Tag><Key>([^<]*)</Key><Value>([^<]*)</Value></Tag>");

    private final QueryReplay replay = new QueryReplay();

    @AfterEach
    void stop() {
        replay.close();
    }

    @Test
    void aBucketCarriesTerracesTagsFromItsCreate() {
        String bucket = ResourceNames.assetsBucket("acme");
        WireMockServer s3 = replay.server();
        s3.stubFor(put(urlEqualTo("/" + bucket)).willReturn(aResponse().withStatus(200)));
        s3.stubFor(head(urlEqualTo("/" + bucket)).willReturn(aResponse().withStatus(200)));
        s3.stubFor(put(urlEqualTo("/" + bucket + "?tagging")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")));
        Resource desired = TestPlanner.desired(TestSpecs.standard("acme"), "rev1").stream()
                .filter(r -> r.address().equals("acme/assets/bucket")).findFirst().orElseThrow();

        try (AwsClients aws = replay.clients()) {
            assertThrows(S3Exception.class,
                    () -> new S3BucketDriver(aws).create(desired, new DriverContextForTests(aws)));
        }

        List<String> creates = s3.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().getName().equals("PUT") && r.getUrl().equals("/" + bucket))
                .map(r -> r.getBodyAsString()).toList();
        assertEquals(1, creates.size(), "one CreateBucket");
        Map<String, String> sent = new TreeMap<>();
        Matcher m = TAG.matcher(creates.get(0).replaceAll(">\\s+<", "><"));
        while (m.find()) {
            sent.put(m.group(1), m.group(2));
        }
        assertEquals(new TreeMap<>(desired.tags()), sent, creates.get(0));
        assertEquals("acme", sent.get("terrace:environment"));
    }
}
