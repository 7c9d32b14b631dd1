package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.s3.LogBucket;

import io.terrace.planner.AttributeKeys.NetworkStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;

/**
 * The attributes of the network stack's load balancer that Terrace manages outside the
 * template, with ELBv2 ModifyLoadBalancerAttributes (a stack update of the load balancer is what
 * the template cannot be trusted with: see docs/aws.md): invalid header fields dropped
 * ({@code routing.http.drop_invalid_header_fields.enabled}), deletion protection
 * ({@code deletion_protection.enabled}), and access logs to the region's {@link LogBucket} under
 * {@code <env>/alb} ({@code access_logs.s3.*}). Read back with one DescribeLoadBalancerAttributes
 * per environment, as the network stack's attributes {@code dropInvalidHeaderFields},
 * {@code deletionProtection} and {@code accessLogs}.
 */
public final class LoadBalancerAttributes {

    static final String DROP_INVALID = "routing.http.drop_invalid_header_fields.enabled";
    static final String DELETION_PROTECTION = "deletion_protection.enabled";
    static final String LOGS_ENABLED = "access_logs.s3.enabled";
    static final String LOGS_BUCKET = "access_logs.s3.bucket";
    static final String LOGS_PREFIX = "access_logs.s3.prefix";

    /** The network stack's attributes this class owns. */
    public static final Set<String> KEYS = Set.of(NetworkStack.DROP_INVALID_HEADER_FIELDS,
            NetworkStack.DELETION_PROTECTION, NetworkStack.ACCESS_LOGS);

    private LoadBalancerAttributes() {}

    /** The managed attributes as observed; empty when the load balancer is gone. */
    public static Map<String, Object> observe(AwsClients aws, String loadBalancerArn) {
        Map<String, String> live = new LinkedHashMap<>();
        try {
            aws.elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(loadBalancerArn)).attributes()
                    .forEach(a -> live.put(a.key(), a.value()));
        } catch (LoadBalancerNotFoundException e) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(NetworkStack.DROP_INVALID_HEADER_FIELDS, Boolean.parseBoolean(live.get(DROP_INVALID)));
        out.put(NetworkStack.DELETION_PROTECTION, Boolean.parseBoolean(live.get(DELETION_PROTECTION)));
        out.put(NetworkStack.ACCESS_LOGS, LogBucket.destination(Boolean.parseBoolean(live.get(LOGS_ENABLED)),
                live.get(LOGS_BUCKET), live.get(LOGS_PREFIX), aws.region()));
        return out;
    }

    /**
     * Sets every managed attribute as desired in one call; access logs first make the log bucket
     * (with the policy ELB checks for when they are switched on).
     */
    public static void apply(AwsClients aws, String loadBalancerArn, Map<String, Object> desired) {
        List<LoadBalancerAttribute> attributes = new ArrayList<>();
        attributes.add(attribute(DROP_INVALID,
                String.valueOf(Boolean.TRUE.equals(desired.get(NetworkStack.DROP_INVALID_HEADER_FIELDS)))));
        attributes.add(attribute(DELETION_PROTECTION,
                String.valueOf(Boolean.TRUE.equals(desired.get(NetworkStack.DELETION_PROTECTION)))));
        Object prefix = desired.get(NetworkStack.ACCESS_LOGS);
        if (prefix == null || NetworkStack.ACCESS_LOGS_OFF.equals(prefix)) {
            attributes.add(attribute(LOGS_ENABLED, "false"));
        } else {
            OriginSecretPolicy.Caller caller = OriginSecretPolicy.caller(aws);
            String bucket = LogBucket.ensure(aws, caller.account(), caller.partition());
            attributes.add(attribute(LOGS_ENABLED, "true"));
            attributes.add(attribute(LOGS_BUCKET, bucket));
            attributes.add(attribute(LOGS_PREFIX, prefix.toString()));
        }
        aws.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(loadBalancerArn).attributes(attributes));
    }

    /** Switches deletion protection off, so that the stack can delete the load balancer. */
    public static void unprotect(AwsClients aws, String loadBalancerArn) {
        try {
            aws.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(loadBalancerArn)
                    .attributes(attribute(DELETION_PROTECTION, "false")));
        } catch (LoadBalancerNotFoundException e) {
            // Already gone with a half-deleted stack: nothing to protect.
        }
    }

    private static LoadBalancerAttribute attribute(String key, String value) {
        return LoadBalancerAttribute.builder().key(key).value(value).build();
    }
}
