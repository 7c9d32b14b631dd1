package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.daemon.DaemonMetrics;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The token bucket in front of a real SDK client, against moto: calls of a limited operation wait
 * their turn, and the daemon's metrics report how long they waited.
 */
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

            cw.listMetrics(r -> r.namespace("AWS/ApplicationELB"));
            Map<String, Double> waited = limits.secondsWaited();
            assertEquals(java.util.Set.of("CloudWatch:DescribeAlarms"), waited.keySet(), "only the limited operation waited");
            // Each call waits for the rest of its interval, less the time the call before it took.
            assertTrue(waited.get("CloudWatch:DescribeAlarms") > 0 && waited.get("CloudWatch:DescribeAlarms") <= seconds,
                    waited + " of " + seconds + " s");

            // The daemon's /metrics reports the wait.
            String metrics = new DaemonMetrics(Clock.systemUTC(), Optional::empty, Optional.of(counter), limits).scrape();
            String line = metrics.lines()
                    .filter(l -> l.startsWith("terrace_aws_rate_limit_wait_seconds_total{"))
                    .findFirst().orElseThrow(() -> new AssertionError(metrics));
            assertTrue(line.contains("operation=\"DescribeAlarms\"") && line.contains("service=\"CloudWatch\""), line);
            assertEquals(waited.get("CloudWatch:DescribeAlarms"), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                    1e-9, line);
        }
    }
}
