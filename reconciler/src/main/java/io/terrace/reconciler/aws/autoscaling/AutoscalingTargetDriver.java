package io.terrace.reconciler.aws.autoscaling;

import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.ScalingTarget;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.Ownership;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.model.CustomizedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricStatistic;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Autoscaling of web and cavalcade services and of Aurora reader counts: RegisterScalableTarget
 * (min..max) and one target-tracking PutScalingPolicy. Both calls are upserts, so create and
 * update are the same two calls. The namespace ({@code ecs} or {@code rds}) comes from the
 * desired attributes.
 */
public record AutoscalingTargetDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.AUTOSCALING_TARGET;
    }

    /** Registering a target and putting its policy are upserts: create never needs to know what is there. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return LiveRead.ABSENT;
    }

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        // The target belongs to the service or cluster it scales: refuse if that is not Terrace's.
        context.live(ScalingTargets.ownerAddress(desired.address()))
                .ifPresent(owner -> Ownership.requireManaged(owner, "scale"));
        return apply(desired, context);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        return apply(desired, context);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String namespace = String.valueOf(live.attributes().get(ScalingTarget.SERVICE_NAMESPACE));
        String dimension = String.valueOf(live.attributes().get(ScalingTarget.SCALABLE_DIMENSION));
        String resourceId = String.valueOf(live.attributes().get("resourceId"));
        try {
            aws.autoScaling.deleteScalingPolicy(r -> r.policyName(ScalingTargets.POLICY_NAME)
                    .serviceNamespace(namespace).scalableDimension(dimension).resourceId(resourceId));
        } catch (ObjectNotFoundException e) {
            // already gone
        }
        try {
            aws.autoScaling.deregisterScalableTarget(r -> r.serviceNamespace(namespace)
                    .scalableDimension(dimension).resourceId(resourceId));
        } catch (ObjectNotFoundException e) {
            // already gone
        } catch (software.amazon.awssdk.services.applicationautoscaling.model.ValidationException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No scalable target found")) {
                throw e;
            }
        }
    }

    private ObservedResource apply(Resource desired, DriverContext context) {
        String namespace = attr(desired, ScalingTarget.SERVICE_NAMESPACE);
        String dimension = attr(desired, ScalingTarget.SCALABLE_DIMENSION);
        String resourceId = desired.name();
        int min = ((Number) desired.attributes().get(ScalingTarget.MIN_CAPACITY)).intValue();
        int max = ((Number) desired.attributes().get(ScalingTarget.MAX_CAPACITY)).intValue();
        aws.autoScaling.registerScalableTarget(r -> r.serviceNamespace(namespace).scalableDimension(dimension)
                .resourceId(resourceId).minCapacity(min).maxCapacity(max).tags(desired.tags()));
        String metric = attr(desired, ScalingTarget.POLICY_METRIC);
        double target = ((Number) desired.attributes().get(ScalingTarget.POLICY_TARGET)).doubleValue();
        TargetTrackingScalingPolicyConfiguration.Builder config = TargetTrackingScalingPolicyConfiguration.builder()
                .targetValue(target);
        if (ScalingTargets.isPredefined(metric)) {
            config.predefinedMetricSpecification(PredefinedMetricSpecification.builder()
                    .predefinedMetricType(metric).build());
        } else {
            config.customizedMetricSpecification(CustomizedMetricSpecification.builder()
                    .metricName(metric).namespace(ScalingTargets.CUSTOM_METRIC_NAMESPACE)
                    .statistic(MetricStatistic.AVERAGE)
                    .dimensions(MetricDimension.builder().name("Environment").value(desired.environment()).build())
                    .build());
        }
        aws.autoScaling.putScalingPolicy(r -> r.policyName(ScalingTargets.POLICY_NAME)
                .serviceNamespace(namespace).scalableDimension(dimension).resourceId(resourceId)
                .policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(config.build()));
        ScalableTarget registered = aws.autoScaling.describeScalableTargets(r -> r.serviceNamespace(namespace)
                        .resourceIds(resourceId).scalableDimension(dimension))
                .scalableTargets().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("scalable target " + resourceId + " not found after registering it"));
        Optional<ScalingPolicy> policy = aws.autoScaling.describeScalingPolicies(r -> r.serviceNamespace(namespace)
                        .resourceId(resourceId).scalableDimension(dimension).policyNames(ScalingTargets.POLICY_NAME))
                .scalingPolicies().stream().findFirst();
        return ScalingTargets.toObserved(desired.address(), registered, policy, desired.tags());
    }

    private static String attr(Resource desired, String key) {
        Object v = desired.attributes().get(key);
        if (v == null) {
            throw new IllegalStateException(desired.address() + ": missing attribute " + key);
        }
        return v.toString();
    }
}
