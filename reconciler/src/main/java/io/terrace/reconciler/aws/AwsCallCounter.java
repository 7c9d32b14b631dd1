package io.terrace.reconciler.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS API calls by service and operation. Registered on every client, it counts each
 * attempt sent over the wire, retries included, which is what the benchmark and metrics report.
 * It also sums the time each attempt spent on the wire (sent to response received), by service:
 * the share of a sweep spent waiting for AWS (or the emulator) rather than in Terrace.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("terrace.sentNanos");

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(service + ":" + operation, k -> new LongAdder()).increment();
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        if (sent != null) {
            nanos.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder())
                    .add(System.nanoTime() - sent);
        }
    }

    /** Seconds spent on the wire so far (request sent to response headers), keyed by service, sorted. */
    public Map<String, Double> secondsByService() {
        Map<String, Double> out = new TreeMap<>();
        nanos.forEach((k, v) -> out.merge(k.substring(0, k.indexOf(':')), v.sum() / 1e9, Double::sum));
        return out;
    }

    /** Seconds spent on the wire so far, keyed by {@code Service:Operation}, sorted. */
    public Map<String, Double> secondsByOperation() {
        Map<String, Double> out = new TreeMap<>();
        nanos.forEach((k, v) -> out.put(k, v.sum() / 1e9));
        return out;
    }

    /** Calls so far keyed by {@code Service:Operation}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Calls so far of one {@code Service:Operation}. */
    public long calls(String serviceOperation) {
        LongAdder c = calls.get(serviceOperation);
        return c == null ? 0 : c.sum();
    }

    /** Calls so far keyed by service, sorted. */
    public Map<String, Long> byService() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.merge(k.substring(0, k.indexOf(':')), v.sum(), Long::sum));
        return out;
    }

    public long total() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void reset() {
        calls.clear();
        nanos.clear();
    }
}
