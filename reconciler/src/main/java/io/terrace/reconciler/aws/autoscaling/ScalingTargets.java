package io.terrace.reconciler.aws.autoscaling;

import io.terrace.reconciler.aws.Addresses;

import io.terrace.planner.AttributeKeys.ScalingTarget;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Application Auto Scaling targets as Terrace reads them: the scalable target (min/max) and its
 * one target-tracking policy, {@link #POLICY_NAME}. A predefined metric is observed by its metric
 * type, a custom one (cavalcade's pending jobs per worker) by its metric name.
 *
 * <p>Scalable targets carry no tags Terrace can read in a batch, so a target is owned by the
 * resource it scales: it is observed with the tags of {@link #ownerAddress} (the ECS service or
 * the Aurora cluster), and Terrace touches it only when that owner is Terrace's.
 */
public final class ScalingTargets {

    public static final String POLICY_NAME = "terrace-target-tracking";
    /** Namespace of the custom metrics Terrace's workers publish. */
    public static final String CUSTOM_METRIC_NAMESPACE = io.terrace.planner.RolePolicies.CAVALCADE_METRIC_NAMESPACE;

    private static final Set<String> PREDEFINED = MetricType.knownValues().stream()
            .map(MetricType::toString).collect(java.util.stream.Collectors.toSet());

    private ScalingTargets() {}

    /** The address whose tags a scaling target inherits: the service or cluster it scales. */
    public static String ownerAddress(String address) {
        String env = Addresses.environment(address);
        Component c = Addresses.component(address);
        return c == Component.DATABASE ? Addresses.of(env, c, "cluster") : Addresses.ecsService(env, c);
    }

    /** Scaling targets an environment may have, by resource id, with their address. */
    public static Map<String, String> expected(String env, String namespace) {
        Map<String, String> out = new LinkedHashMap<>();
        String cluster = ResourceNames.ecsCluster(env);
        if (namespace.equals("ecs")) {
            out.put("service/" + cluster + "/" + ResourceNames.ecsService(Component.WEB),
                    Addresses.of(env, Component.WEB, "scaling"));
            out.put("service/" + cluster + "/" + ResourceNames.ecsService(Component.CAVALCADE),
                    Addresses.of(env, Component.CAVALCADE, "scaling"));
        } else if (namespace.equals("rds")) {
            out.put("cluster:" + ResourceNames.dbCluster(env), Addresses.of(env, Component.DATABASE, "reader-scaling"));
        }
        return out;
    }

    public static boolean isPredefined(String metric) {
        return PREDEFINED.contains(metric);
    }

    public static ObservedResource toObserved(String address, ScalableTarget target, Optional<ScalingPolicy> policy,
            Map<String, String> tags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(ScalingTarget.SERVICE_NAMESPACE, target.serviceNamespaceAsString());
        attributes.put(ScalingTarget.SCALABLE_DIMENSION, target.scalableDimensionAsString());
        attributes.put(ScalingTarget.MIN_CAPACITY, target.minCapacity());
        attributes.put(ScalingTarget.MAX_CAPACITY, target.maxCapacity());
        policy.map(ScalingPolicy::targetTrackingScalingPolicyConfiguration).ifPresent(c -> {
            attributes.put(ScalingTarget.POLICY_METRIC, metric(c));
            attributes.put(ScalingTarget.POLICY_TARGET, (int) Math.round(c.targetValue()));
        });
        String id = target.scalableTargetARN() == null ? target.resourceId() : target.scalableTargetARN();
        attributes.put("resourceId", target.resourceId());
        return new ObservedResource(address, ResourceType.AUTOSCALING_TARGET, id, attributes, tags);
    }

    private static String metric(TargetTrackingScalingPolicyConfiguration c) {
        if (c.predefinedMetricSpecification() != null) {
            return c.predefinedMetricSpecification().predefinedMetricTypeAsString();
        }
        if (c.customizedMetricSpecification() != null) {
            return c.customizedMetricSpecification().metricName();
        }
        return "";
    }
}
