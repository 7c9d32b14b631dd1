package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.network.NetworkStacks;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.EcsService;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import io.terrace.schema.EnvironmentSpec.Range;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * The web, sandbox, cavalcade and tachyon services: Fargate, awsvpc in the network stack's private
 * subnets (one or both zones, as the stack's {@code zones} says) with the app security group,
 * registered with the web or tachyon target group when load-balanced. The desired count is a
 * range: a live count inside it belongs to the autoscaler and is left alone; outside it, it is
 * clamped to the nearest bound. Deployments run with the circuit breaker and rollback on, and a
 * create or an {@code UpdateService} returns only once the deployment is steady ({@link EcsRollout}).
 */
public record EcsServiceDriver(AwsClients aws) implements ResourceDriver {

    private static final List<String> DEPLOYMENT_KEYS = List.of(EcsService.CIRCUIT_BREAKER,
            EcsService.CIRCUIT_BREAKER_ROLLBACK, EcsService.MINIMUM_HEALTHY_PERCENT, EcsService.MAXIMUM_PERCENT);

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ResourceType type() {
        return ResourceType.ECS_SERVICE;
    }

    /** A service DRAINING after a delete is leaving: one of the same name can only be created once it is gone. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        String cluster = ResourceNames.ecsCluster(desired.environment());
        return EcsResources.describeService(aws, cluster, desired.name())
                .<LiveRead>map(s -> "ACTIVE".equals(s.status())
                        ? new LiveRead.Present(EcsResources.service(desired.environment(), desired.component(), s))
                        : new LiveRead.Leaving("ECS service " + desired.name() + " to finish draining"))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        String env = desired.environment();
        String cluster = ResourceNames.ecsCluster(env);
        Map<String, String> outputs = NetworkStacks.outputs(aws, env, context);
        Range count = range(desired);
        boolean exec = Boolean.TRUE.equals(desired.attributes().get(EcsService.ENABLE_EXECUTE_COMMAND));
        Service created = aws.ecs.createService(r -> {
            r.cluster(cluster)
                    .serviceName(desired.name())
                    .taskDefinition(taskDefinition(desired, context))
                    .desiredCount(count.min())
                    .launchType(String.valueOf(desired.attributes().getOrDefault(EcsService.LAUNCH_TYPE, "FARGATE")))
                    .networkConfiguration(network(outputs))
                    .enableExecuteCommand(exec)
                    .deploymentConfiguration(deploymentConfiguration(desired))
                    .propagateTags(PropagateTags.SERVICE)
                    .tags(EcsResources.toTags(desired.tags()));
            if (isLoadBalanced(desired)) {
                r.loadBalancers(loadBalancer(desired.component(), outputs));
            }
        }).service();
        if (!Objects.equals(created.enableExecuteCommand(), exec)
                || deploymentDiffers(desired, EcsResources.service(env, desired.component(), created))) {
            // Some ECS implementations ignore these on create; set them explicitly.
            created = aws.ecs.updateService(r -> r.cluster(cluster).service(desired.name()).enableExecuteCommand(exec)
                    .deploymentConfiguration(deploymentConfiguration(desired))).service();
        }
        return EcsResources.service(env, desired.component(), EcsRollout.await(aws, context, cluster, created));
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        String env = desired.environment();
        String cluster = ResourceNames.ecsCluster(env);
        UpdateServiceRequest.Builder request = UpdateServiceRequest.builder().cluster(cluster).service(desired.name());
        boolean needed = false;
        Range range = range(desired);
        int count = ((Number) live.attributes().getOrDefault(EcsService.DESIRED_COUNT, range.min())).intValue();
        if (!range.contains(count)) {
            request.desiredCount(Math.max(range.min(), Math.min(range.max(), count)));
            needed = true;
        }
        boolean exec = Boolean.TRUE.equals(desired.attributes().get(EcsService.ENABLE_EXECUTE_COMMAND));
        if (!Objects.equals(exec, live.attributes().get(EcsService.ENABLE_EXECUTE_COMMAND))) {
            request.enableExecuteCommand(exec);
            needed = true;
        }
        if (!Objects.equals(desired.attributes().get(EcsService.TASK_DEFINITION), live.attributes().get(EcsService.TASK_DEFINITION))) {
            request.taskDefinition(taskDefinition(desired, context));
            needed = true;
        }
        if (!Objects.equals(isLoadBalanced(desired), live.attributes().get(EcsService.LOAD_BALANCED))) {
            Map<String, String> outputs = NetworkStacks.outputs(aws, env, context);
            request.loadBalancers(isLoadBalanced(desired) ? List.of(loadBalancer(desired.component(), outputs)) : List.of());
            needed = true;
        }
        if (deploymentDiffers(desired, live)) {
            request.deploymentConfiguration(deploymentConfiguration(desired));
            needed = true;
        }
        if (!needed) {
            EcsResources.syncTags(aws, live.id(), live.tags(), desired.tags());
            return waitActive(desired, cluster, context);
        }
        Service updated = aws.ecs.updateService(request.build()).service();
        EcsResources.syncTags(aws, live.id(), live.tags(), desired.tags());
        return EcsResources.service(env, desired.component(), EcsRollout.await(aws, context, cluster, updated));
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String env = live.environment();
        String cluster = ResourceNames.ecsCluster(env);
        String name = ResourceNames.ecsService(Addresses.component(live.address()));
        if (EcsResources.describeService(aws, cluster, name).isEmpty()) {
            return;
        }
        // force: scale to zero and delete in one call, as a service scaled above zero cannot be deleted.
        aws.ecs.deleteService(r -> r.cluster(cluster).service(name).force(true));
        context.await("ECS service " + name + " to drain",
                () -> EcsResources.describeService(aws, cluster, name)
                        .map(s -> !"ACTIVE".equals(s.status()) && !"DRAINING".equals(s.status()))
                        .orElse(true));
    }

    private ObservedResource waitActive(Resource desired, String cluster, DriverContext context) {
        Service[] last = new Service[1];
        context.await("ECS service " + desired.name() + " to become active", () -> {
            last[0] = EcsResources.describeService(aws, cluster, desired.name())
                    .orElseThrow(() -> new IllegalStateException("ECS service " + desired.name() + " disappeared"));
            return "ACTIVE".equals(last[0].status());
        });
        return EcsResources.service(desired.environment(), desired.component(), last[0]);
    }

    private static boolean deploymentDiffers(Resource desired, ObservedResource live) {
        return DEPLOYMENT_KEYS.stream()
                .anyMatch(k -> !Objects.equals(desired.attributes().get(k), live.attributes().get(k)));
    }

    /**
     * The desired deployment settings: the circuit breaker with rollback, and how far a deployment
     * may go below and above the desired count.
     */
    static DeploymentConfiguration deploymentConfiguration(Resource desired) {
        Map<String, Object> a = desired.attributes();
        return DeploymentConfiguration.builder()
                .deploymentCircuitBreaker(DeploymentCircuitBreaker.builder()
                        .enable(Boolean.TRUE.equals(a.get(EcsService.CIRCUIT_BREAKER)))
                        .rollback(Boolean.TRUE.equals(a.get(EcsService.CIRCUIT_BREAKER_ROLLBACK)))
                        .build())
                .minimumHealthyPercent(((Number) a.getOrDefault(EcsService.MINIMUM_HEALTHY_PERCENT, 100)).intValue())
                .maximumPercent(((Number) a.getOrDefault(EcsService.MAXIMUM_PERCENT, 200)).intValue())
                .build();
    }

    /** The live revision when the apply registered one, else the family (its latest revision). */
    private static String taskDefinition(Resource desired, DriverContext context) {
        return context.live(Addresses.taskDefinition(desired.environment(), desired.component()))
                .map(ObservedResource::id)
                .orElse(String.valueOf(desired.attributes().get(EcsService.TASK_DEFINITION)));
    }

    private static NetworkConfiguration network(Map<String, String> outputs) {
        int zones = Integer.parseInt(outputs.getOrDefault("Zones", "1"));
        List<String> subnets = Arrays.stream(outputs.get(NetworkStacks.PRIVATE_SUBNET_IDS).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).limit(Math.max(1, zones)).toList();
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder()
                .subnets(subnets)
                .securityGroups(outputs.get(NetworkStacks.APP_SECURITY_GROUP_ID))
                .assignPublicIp(AssignPublicIp.DISABLED)
                .build()).build();
    }

    private static LoadBalancer loadBalancer(Component component, Map<String, String> outputs) {
        String targetGroup = component == Component.TACHYON
                ? outputs.get(NetworkStacks.TACHYON_TARGET_GROUP_ARN)
                : outputs.get(NetworkStacks.WEB_TARGET_GROUP_ARN);
        return LoadBalancer.builder().targetGroupArn(targetGroup)
                .containerName(component.id()).containerPort(EcsResources.CONTAINER_PORT).build();
    }

    private static boolean isLoadBalanced(Resource desired) {
        return Boolean.TRUE.equals(desired.attributes().get(EcsService.LOAD_BALANCED));
    }

    private static Range range(Resource desired) {
        Object v = desired.attributes().get(EcsService.DESIRED_COUNT);
        if (v instanceof Range r) {
            return r;
        }
        if (v instanceof Number n) {
            return new Range(n.intValue(), n.intValue());
        }
        throw new IllegalStateException(desired.address() + ": desiredCount is not a range: " + v);
    }
}
