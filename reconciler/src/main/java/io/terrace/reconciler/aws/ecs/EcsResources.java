package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;

import io.terrace.planner.AttributeKeys.EcsCluster;
import io.terrace.planner.AttributeKeys.EcsService;
import io.terrace.planner.AttributeKeys.EcsTask;
import io.terrace.planner.AttributeKeys.Observed;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.DeploymentCircuitBreaker;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * ECS clusters, services and task definitions as Terrace reads them, and the conventions the
 * drivers share: one container per task named after the component, listening on
 * {@link #CONTAINER_PORT}.
 */
public final class EcsResources {

    public static final int CONTAINER_PORT = 8080;
    /** The {@code awslogs} log driver's options Terrace sets on every container. */
    public static final String AWSLOGS_GROUP = "awslogs-group";
    public static final String AWSLOGS_REGION = "awslogs-region";
    public static final String AWSLOGS_STREAM_PREFIX = "awslogs-stream-prefix";
    /** The task volume (no host: the task's own storage) mounted at a writable path. */
    public static String scratchVolume(String containerPath) {
        String name = containerPath.replaceAll("^/+|/+$", "").replaceAll("[^A-Za-z0-9_-]", "-");
        return name.isEmpty() ? "root" : name;
    }

    /** The ECS services of an environment, one per component that runs containers. */
    public static final List<Component> SERVICE_COMPONENTS =
            List.of(Component.WEB, Component.SANDBOX, Component.CAVALCADE, Component.TACHYON);

    private EcsResources() {}

    public static Optional<Cluster> describeCluster(AwsClients aws, String name) {
        return aws.ecs.describeClusters(r -> r.clusters(name).include(ClusterField.TAGS, ClusterField.SETTINGS))
                .clusters().stream()
                .filter(c -> !"INACTIVE".equals(c.status()))
                .findFirst();
    }

    /** The service unless it is missing, inactive, or its cluster does not exist. */
    public static Optional<Service> describeService(AwsClients aws, String cluster, String service) {
        try {
            return aws.ecs.describeServices(r -> r.cluster(cluster).services(service).include(ServiceField.TAGS))
                    .services().stream()
                    .filter(s -> !"INACTIVE".equals(s.status()))
                    .findFirst();
        } catch (ClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    public static ObservedResource cluster(String env, Cluster c) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(EcsCluster.CONTAINER_INSIGHTS, c.settings().stream()
                .filter(s -> s.name() == ClusterSettingName.CONTAINER_INSIGHTS)
                .map(s -> s.value())
                .findFirst().orElse("disabled"));
        attributes.put("status", c.status());
        return new ObservedResource(Addresses.ecsCluster(env), ResourceType.ECS_CLUSTER, c.clusterArn(),
                attributes, tags(c.tags()));
    }

    public static ObservedResource service(String env, Component component, Service s) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(EcsService.DESIRED_COUNT, s.desiredCount());
        attributes.put(EcsService.LAUNCH_TYPE, s.launchTypeAsString() == null ? "EC2" : s.launchTypeAsString());
        attributes.put(EcsService.TASK_DEFINITION, family(s.taskDefinition()));
        attributes.put(EcsService.LOAD_BALANCED, !s.loadBalancers().isEmpty());
        attributes.put(EcsService.ENABLE_EXECUTE_COMMAND, Boolean.TRUE.equals(s.enableExecuteCommand()));
        deployment(s.deploymentConfiguration(), attributes);
        attributes.put("taskDefinitionArn", s.taskDefinition());
        attributes.put(Observed.RUNNING_COUNT, s.runningCount());
        attributes.put(Observed.PENDING_COUNT, s.pendingCount());
        attributes.put(Observed.STATUS, s.status());
        s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst().ifPresent(d -> {
            if (d.rolloutState() != null) {
                attributes.put(Observed.ROLLOUT_STATE, d.rolloutStateAsString());
            }
            if (d.rolloutStateReason() != null) {
                attributes.put(Observed.ROLLOUT_REASON, d.rolloutStateReason());
            }
            if (d.createdAt() != null) {
                attributes.put(Observed.ROLLOUT_STARTED_AT, d.createdAt().toString());
            }
        });
        return new ObservedResource(Addresses.ecsService(env, component), ResourceType.ECS_SERVICE,
                s.serviceArn(), attributes, tags(s.tags()));
    }

    /**
     * The deployment settings as attributes; none when the service reports no deployment
     * configuration at all, so the plan sets them.
     */
    private static void deployment(DeploymentConfiguration dc, Map<String, Object> attributes) {
        if (dc == null) {
            return;
        }
        DeploymentCircuitBreaker breaker = dc.deploymentCircuitBreaker();
        attributes.put(EcsService.CIRCUIT_BREAKER, breaker != null && Boolean.TRUE.equals(breaker.enable()));
        attributes.put(EcsService.CIRCUIT_BREAKER_ROLLBACK, breaker != null && Boolean.TRUE.equals(breaker.rollback()));
        if (dc.minimumHealthyPercent() != null) {
            attributes.put(EcsService.MINIMUM_HEALTHY_PERCENT, dc.minimumHealthyPercent());
        }
        if (dc.maximumPercent() != null) {
            attributes.put(EcsService.MAXIMUM_PERCENT, dc.maximumPercent());
        }
    }

    public static ObservedResource taskDefinition(String env, Component component, TaskDefinition td,
            List<Tag> tags) {
        return taskDefinition(env, component, TaskDefinitionCache.Entry.of(td, tags));
    }

    public static ObservedResource taskDefinition(String env, Component component, TaskDefinitionCache.Entry td) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(EcsTask.IMAGE, td.image());
        attributes.put(EcsTask.CPU, td.cpu());
        attributes.put(EcsTask.MEMORY, td.memory());
        attributes.put(EcsTask.TASK_ROLE, roleName(td.taskRoleArn()));
        attributes.put(EcsTask.EXECUTION_ROLE, roleName(td.executionRoleArn()));
        attributes.put(EcsTask.LOG_GROUP, td.logGroup());
        attributes.put(EcsTask.LOG_STREAM_PREFIX, td.logStreamPrefix());
        attributes.put("logRegion", td.logRegion());
        attributes.put(EcsTask.ENVIRONMENT, td.environment());
        attributes.put(EcsTask.SECRETS, td.secrets());
        attributes.put(EcsTask.READONLY_ROOT_FILESYSTEM, td.readonlyRootFilesystem());
        attributes.put(EcsTask.WRITABLE_PATHS, td.writablePaths());
        attributes.put(EcsTask.SIDECARS, td.sidecars());
        attributes.put("revision", td.revision());
        attributes.put("family", td.family());
        return new ObservedResource(Addresses.taskDefinition(env, component), ResourceType.ECS_TASK_DEFINITION,
                td.arn(), attributes, new LinkedHashMap<>(td.tags()));
    }

    /** The name of a role from its ARN ({@code arn:aws:iam::1:role/terrace/name}), or "" for none. */
    public static String roleName(String arn) {
        return arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The family of a task definition ARN ({@code .../task-definition/fam:3}) or of {@code fam:3}. */
    public static String family(String taskDefinition) {
        if (taskDefinition == null) {
            return "";
        }
        String s = taskDefinition;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        int colon = s.indexOf(':');
        return colon >= 0 ? s.substring(0, colon) : s;
    }

    public static String clusterName(String env) {
        return ResourceNames.ecsCluster(env);
    }

    public static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(t -> out.put(t.key(), t.value()));
        }
        return out;
    }

    public static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    /** Brings the tags of an ECS resource to the desired ones (see {@link TagSync}). */
    public static void syncTags(AwsClients aws, String arn, Map<String, String> live, Map<String, String> desired) {
        TagSync.between(live, desired).send(
                set -> aws.ecs.tagResource(r -> r.resourceArn(arn).tags(toTags(set))),
                keys -> aws.ecs.untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
    }
}
