package io.terrace.reconciler.aws;

import com.google.common.util.concurrent.RateLimiter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Keeps Terrace's calls under the request rates AWS documents per account and region, before AWS
 * throttles them: a token bucket (Guava's {@link RateLimiter}: a second's worth of calls may go at
 * once after a quiet spell, then one every 1/rate) per region and operation, shared by every client
 * of the process, in front of every attempt, retries included. Only the operations whose rate AWS
 * publishes are limited ({@link #DOCUMENTED}, at {@value #HEADROOM} of it, leaving the rest to other
 * callers of the account); the others are left to the SDK's adaptive retry, which slows a client
 * down once AWS throttles it (docs/aws.md, "Rate limits and parallel observe").
 *
 * <p>{@value #PROPERTY} (system property) or {@value #ENVIRONMENT} (environment) set to
 * {@code off} turns it off: an emulator has no limits, and the tests and benchmarks measure
 * Terrace at the emulator's speed.
 */
public final class AwsRateLimits implements ExecutionInterceptor {

    /**
     * Calls per second per account and region, by {@code Service:Operation}, from AWS's published
     * quotas: CloudWatch service quotas ("DescribeAlarms: 9 transactions per second"; DeleteAlarms,
     * DescribeAlarmHistory, DescribeAlarmsForMetric, DisableAlarmActions, EnableAlarmActions and
     * SetAlarmState: 3 each).
     */
    public static final Map<String, Double> DOCUMENTED = Map.of(
            "CloudWatch:DescribeAlarms", 9.0,
            "CloudWatch:DeleteAlarms", 3.0,
            "CloudWatch:DescribeAlarmHistory", 3.0,
            "CloudWatch:DescribeAlarmsForMetric", 3.0,
            "CloudWatch:DisableAlarmActions", 3.0,
            "CloudWatch:EnableAlarmActions", 3.0,
            "CloudWatch:SetAlarmState", 3.0);
    /** The share of a documented rate Terrace uses. */
    public static final double HEADROOM = 0.8;
    public static final String PROPERTY = "terrace.aws.rateLimits";
    public static final String ENVIRONMENT = "TERRACE_AWS_RATE_LIMITS";

    /** Every client's limits unless turned off: one set of buckets for the process. */
    private static final AwsRateLimits CONFIGURED = new AwsRateLimits(off() ? Map.of() : DOCUMENTED);

    private final Map<String, Double> limits;
    private final Map<String, RateLimiter> buckets = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> waited = new ConcurrentHashMap<>();

    /** @param limits calls per second by {@code Service:Operation}, before {@link #HEADROOM} */
    public AwsRateLimits(Map<String, Double> limits) {
        this.limits = Map.copyOf(limits);
    }

    /** The process's limits: {@link #DOCUMENTED}, or none when turned off. */
    public static AwsRateLimits configured() {
        return CONFIGURED;
    }

    private static boolean off() {
        String v = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENVIRONMENT, "documented"));
        return v.strip().toLowerCase(Locale.ROOT).equals("off");
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (limits.isEmpty()) {
            return;
        }
        acquire(attributes.getAttribute(AwsExecutionAttribute.AWS_REGION),
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** Waits for the turn of one call of {@code operation} ({@code Service:Operation}) in {@code region}, if limited. */
    void acquire(Region region, String operation) {
        Double rate = limits.get(operation);
        if (rate != null) {
            double seconds = buckets.computeIfAbsent(region + "/" + operation, k -> RateLimiter.create(rate * HEADROOM))
                    .acquire();
            waited.computeIfAbsent(operation, k -> new DoubleAdder()).add(seconds);
        }
    }

    /**
     * Seconds calls have waited for their turn so far, by {@code Service:Operation} (summed over
     * threads and regions), sorted; an operation is listed once a call of it was limited.
     */
    public Map<String, Double> secondsWaited() {
        Map<String, Double> out = new TreeMap<>();
        waited.forEach((operation, seconds) -> out.put(operation, seconds.sum()));
        return out;
    }
}
