package io.terrace.reconciler.aws.autoscaling;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsObserver;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.ObservedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;

/**
 * Reads every environment's scaling targets in a few calls per namespace: DescribeScalableTargets
 * for the deterministic resource ids, {@value #IDS_PER_CALL} at a time, and DescribeScalingPolicies
 * paged over the namespace (for a {@linkplain ServiceObserver#FEW few} environments, of each target
 * found). Targets are returned without tags; {@link AwsObserver} gives them the
 * tags of the resource they scale (see {@link ScalingTargets}).
 */
public final class AutoscalingObserver implements ServiceObserver {

    static final int IDS_PER_CALL = 50;
    static final List<String> NAMESPACES = List.of("ecs", "rds");

    private final AwsClients aws;

    public AutoscalingObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        List<ObservedResource> out = new ArrayList<>();
        for (String namespace : NAMESPACES) {
            Map<String, String> addressById = new LinkedHashMap<>();
            environments.forEach(env -> addressById.putAll(ScalingTargets.expected(env, namespace)));
            if (addressById.isEmpty()) {
                continue;
            }
            List<ScalableTarget> targets = targets(namespace, new ArrayList<>(addressById.keySet()));
            if (targets.isEmpty()) {
                continue;
            }
            Map<String, ScalingPolicy> policies = ServiceObserver.few(environments) ? policiesOf(namespace, targets)
                    : policies(namespace);
            for (ScalableTarget t : targets) {
                String address = addressById.get(t.resourceId());
                if (address != null) {
                    out.add(ScalingTargets.toObserved(address, t, Optional.ofNullable(policies.get(t.resourceId())),
                            Map.of()));
                }
            }
        }
        return out;
    }

    private List<ScalableTarget> targets(String namespace, List<String> ids) {
        List<ScalableTarget> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL));
            // One page: at most one target per id and dimension, and a chunk fits MaxResults.
            out.addAll(aws.autoScaling.describeScalableTargets(r -> r.serviceNamespace(namespace)
                    .resourceIds(chunk).maxResults(IDS_PER_CALL)).scalableTargets());
        }
        return out;
    }

    /** Terrace's policy of each of a few environments' targets, one DescribeScalingPolicies each. */
    private Map<String, ScalingPolicy> policiesOf(String namespace, List<ScalableTarget> targets) {
        Map<String, ScalingPolicy> byResource = new HashMap<>();
        for (ScalableTarget t : targets) {
            aws.autoScaling.describeScalingPolicies(r -> r.serviceNamespace(namespace).resourceId(t.resourceId())
                            .scalableDimension(t.scalableDimension()).policyNames(ScalingTargets.POLICY_NAME))
                    .scalingPolicies().stream()
                    .filter(p -> ScalingTargets.POLICY_NAME.equals(p.policyName()) && t.resourceId().equals(p.resourceId()))
                    .forEach(p -> byResource.put(p.resourceId(), p));
        }
        return byResource;
    }

    private Map<String, ScalingPolicy> policies(String namespace) {
        Map<String, ScalingPolicy> byResource = new HashMap<>();
        aws.autoScaling.describeScalingPoliciesPaginator(r -> r.serviceNamespace(namespace).maxResults(50))
                .scalingPolicies().forEach(p -> {
                    if (ScalingTargets.POLICY_NAME.equals(p.policyName())) {
                        byResource.put(p.resourceId(), p);
                    }
                });
        return byResource;
    }
}
