package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** The token bucket in front of a real SDK client, against moto: calls of a limited operation wait their turn. */
@NeedsMoto
class AwsRateLimitsIT {

    @Test
    void aLimitedOperationIsSpacedAndTheOthersAreNot() {
        // 5 calls/s documented, 4 with the headroom: nine calls after the first take two seconds at least.
        AwsRateLimits limits = new AwsRateLimits(Map.of("CloudWatch:DescribeAlarms", 5.0));
        AwsCallCounter counter = new AwsCallCounter();
        try (CloudWatchClient cw = CloudWatchClient.builder().region(Moto.REGION).endpointOverride(Moto.endpoint())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(limits)
                        .addExecutionInterceptor(counter).build())
                .build()) {
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                cw.describeAlarms(r -> r.alarmNamePrefix("terrace-"));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(10L, counter.calls("CloudWatch:DescribeAlarms"));
            assertTrue(seconds >= 9 / (5 * AwsRateLimits.HEADROOM) * 0.95, "ten calls at 4/s took " + seconds + " s");
        }
    }
}
