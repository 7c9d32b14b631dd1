package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.iam.IamRoles;

import io.terrace.planner.Apm;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys;
import io.terrace.planner.AttributeKeys.EcsTask;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.Ownership;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.Volume;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * A task definition family per containerised component. Task definitions are immutable: a change
 * registers a new revision and moves the component's service to it, so what Terrace observes (the
 * revision the service runs) is what it applied, once the deployment is steady ({@link EcsRollout}).
 * Old revisions stay registered for rollback.
 * Every revision names the component's task role and the environment's execution role (by ARN,
 * observed back as names) and sends the container's output to the component's log group.
 */
public record EcsTaskDefinitionDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.ECS_TASK_DEFINITION;
    }

    /** The family's latest revision. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return latest(aws, desired.name())
                .<LiveRead>map(d -> new LiveRead.Present(EcsResources.taskDefinition(desired.environment(),
                        desired.component(), d.taskDefinition(), d.tags())))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        return register(desired, context);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        if (changes.isEmpty() && matches(desired, live)) {
            // Registered by an earlier, interrupted apply: reuse it rather than add a revision.
            pointServiceAt(desired, live.id(), context);
            return live;
        }
        // The service runs an older revision, but an apply killed between its registration and the
        // service's move may have left the wanted one as the family's latest: reuse it, so that
        // each interrupted apply does not add a revision.
        Optional<ObservedResource> registered = latest(aws, desired.name())
                .map(d -> EcsResources.taskDefinition(desired.environment(), desired.component(), d.taskDefinition(),
                        d.tags()))
                .filter(l -> !l.id().equals(live.id()) && l.isManagedByTerrace() && matches(desired, l)
                        && withoutRevision(l.tags()).equals(withoutRevision(desired.tags())));
        if (registered.isPresent()) {
            pointServiceAt(desired, registered.get().id(), context);
            return registered.get();
        }
        return register(desired, context);
    }

    @Override
    public String updateVerb() {
        return "register a new revision of";
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String family = String.valueOf(live.attributes().getOrDefault("family", EcsResources.family(live.id())));
        List<String> arns = new ArrayList<>();
        aws.ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns().forEach(arn -> {
                    if (EcsResources.family(arn).equals(family)) {
                        arns.add(arn);
                    }
                });
        for (String arn : arns) {
            aws.ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn));
        }
    }

    private ObservedResource register(Resource desired, DriverContext context) {
        Component component = desired.component();
        ContainerDefinition.Builder container = ContainerDefinition.builder()
                .name(component.id())
                .image(String.valueOf(desired.attributes().get(EcsTask.IMAGE)))
                .essential(true)
                .environment(strings(desired, EcsTask.ENVIRONMENT).entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                // Credentials only ever as references the ECS agent resolves: never a value here.
                .secrets(strings(desired, EcsTask.SECRETS).entrySet().stream()
                        .map(e -> Secret.builder().name(e.getKey()).valueFrom(e.getValue()).build()).toList());
        // The root filesystem is read-only; the paths the container writes are task volumes with
        // no host, the task's own storage, empty at start and gone with the task.
        List<String> writable = writablePaths(desired);
        container.readonlyRootFilesystem(Boolean.TRUE.equals(desired.attributes().get(EcsTask.READONLY_ROOT_FILESYSTEM)))
                .mountPoints(writable.stream().map(p -> MountPoint.builder().sourceVolume(EcsResources.scratchVolume(p))
                        .containerPath(p).readOnly(false).build()).toList());
        if (component == Component.WEB || component == Component.TACHYON) {
            container.portMappings(PortMapping.builder().containerPort(EcsResources.CONTAINER_PORT).build());
        }
        container.logConfiguration(LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(Map.of(
                EcsResources.AWSLOGS_GROUP, String.valueOf(desired.attributes().get(EcsTask.LOG_GROUP)),
                EcsResources.AWSLOGS_REGION, aws.region().id(),
                EcsResources.AWSLOGS_STREAM_PREFIX, String.valueOf(desired.attributes().get(EcsTask.LOG_STREAM_PREFIX))))
                .build());
        String taskRole = roleArn(desired, Addresses.of(desired.environment(), component, "task-role"), EcsTask.TASK_ROLE,
                context);
        String executionRole = roleArn(desired, Addresses.of(desired.environment(), Component.CLUSTER, "execution-role"),
                EcsTask.EXECUTION_ROLE, context);
        List<Volume> volumes = new ArrayList<>(writable.stream()
                .map(p -> Volume.builder().name(EcsResources.scratchVolume(p)).build()).toList());
        List<ContainerDefinition> containers = new ArrayList<>(List.of(container.build()));
        if (sidecars(desired).contains(Apm.sidecar())) {
            containers.add(collector(desired));
            Apm.WRITABLE_PATHS.forEach(p -> volumes.add(Volume.builder().name(collectorVolume(p)).build()));
        }
        var registered = aws.ecs.registerTaskDefinition(r -> r.family(desired.name())
                .requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC)
                .taskRoleArn(taskRole)
                .executionRoleArn(executionRole)
                .cpu(String.valueOf(desired.attributes().get(EcsTask.CPU)))
                .memory(String.valueOf(desired.attributes().get(EcsTask.MEMORY)))
                .volumes(volumes)
                .containerDefinitions(containers)
                .tags(EcsResources.toTags(desired.tags())));
        var td = registered.taskDefinition();
        pointServiceAt(desired, td.taskDefinitionArn(), context);
        List<software.amazon.awssdk.services.ecs.model.Tag> tags = registered.hasTags() && !registered.tags().isEmpty()
                ? registered.tags() : EcsResources.toTags(desired.tags());
        return EcsResources.taskDefinition(desired.environment(), component, td, tags);
    }

    /**
     * The APM collector ({@link Apm}): not essential (the web container keeps serving if it
     * stops), logging to the component's group under its own
     * prefix, its root filesystem read-only with a scratch volume of its own for each path it writes.
     */
    private ContainerDefinition collector(Resource desired) {
        return ContainerDefinition.builder()
                .name(Apm.CONTAINER)
                .image(Apm.IMAGE)
                .essential(false)
                .cpu(Apm.CPU)
                .memoryReservation(Apm.MEMORY_RESERVATION)
                .memory(Apm.MEMORY)
                .environment(KeyValuePair.builder().name(Apm.CONFIG_VARIABLE).value(Apm.config(aws.region().id())).build())
                .readonlyRootFilesystem(true)
                .mountPoints(Apm.WRITABLE_PATHS.stream().map(p -> MountPoint.builder().sourceVolume(collectorVolume(p))
                        .containerPath(p).readOnly(false).build()).toList())
                .logConfiguration(LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(Map.of(
                        EcsResources.AWSLOGS_GROUP, String.valueOf(desired.attributes().get(EcsTask.LOG_GROUP)),
                        EcsResources.AWSLOGS_REGION, aws.region().id(),
                        EcsResources.AWSLOGS_STREAM_PREFIX, Apm.LOG_STREAM_PREFIX)).build())
                .build();
    }

    private static String collectorVolume(String path) {
        return "apm-" + EcsResources.scratchVolume(path);
    }

    private static List<String> sidecars(Resource desired) {
        return desired.attributes().get(EcsTask.SIDECARS) instanceof List<?> s
                ? s.stream().map(String::valueOf).toList() : List.of();
    }

    /** Moves the component's service, when it exists and is Terrace's, to a revision. */
    private void pointServiceAt(Resource desired, String arn, DriverContext context) {
        String env = desired.environment();
        String cluster = ResourceNames.ecsCluster(env);
        String service = ResourceNames.ecsService(desired.component());
        Optional<ObservedResource> live = context.live(Addresses.ecsService(env, desired.component()))
                .or(() -> EcsResources.describeService(aws, cluster, service)
                        .map(s -> EcsResources.service(env, desired.component(), s)));
        if (live.isEmpty()) {
            return;
        }
        if (arn.equals(live.get().attributes().get("taskDefinitionArn"))) {
            return;
        }
        Ownership.requireManaged(live.get(), "move to a new task definition");
        var moved = aws.ecs.updateService(r -> r.cluster(cluster).service(service).taskDefinition(arn)).service();
        EcsRollout.await(aws, context, cluster, moved);
    }

    /**
     * The ARN of a role the task definition names: from the apply's live state (the role was
     * created or observed in this run), else read with GetRole.
     */
    private String roleArn(Resource desired, String roleAddress, String key, DriverContext context) {
        String name = String.valueOf(desired.attributes().get(key));
        return context.live(roleAddress)
                .filter(r -> name.equals(r.id()))
                .map(r -> r.attributes().get("arn"))
                .map(String::valueOf)
                .or(() -> IamRoles.role(aws.iam, name).map(r -> r.arn()))
                .orElseThrow(() -> new IllegalStateException(desired.address() + ": role " + name
                        + " does not exist; it is created at " + roleAddress));
    }

    private static Map<String, String> withoutRevision(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>(tags);
        out.remove(ObservedResource.REVISION);
        return out;
    }

    private static boolean matches(Resource desired, ObservedResource live) {
        for (String key : AttributeKeys.managed(ResourceType.ECS_TASK_DEFINITION)) {
            if (!Objects.equals(String.valueOf(desired.attributes().get(key)), String.valueOf(live.attributes().get(key)))) {
                return false;
            }
        }
        for (String key : List.of(EcsTask.ENVIRONMENT, EcsTask.SECRETS)) {
            if (!strings(desired, key).equals(live.attributes().getOrDefault(key, Map.of()))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> writablePaths(Resource desired) {
        return desired.attributes().get(EcsTask.WRITABLE_PATHS) instanceof List<?> paths
                ? paths.stream().map(String::valueOf).sorted().toList() : List.of();
    }

    /** A map attribute (environment, secrets) as names to strings, in name order. */
    private static Map<String, String> strings(Resource desired, String key) {
        Map<String, String> out = new TreeMap<>();
        if (desired.attributes().get(key) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    private static Optional<DescribeTaskDefinitionResponse> latest(AwsClients aws, String family) {
        try {
            return Optional.of(aws.ecs.describeTaskDefinition(r -> r.taskDefinition(family)
                    .include(TaskDefinitionField.TAGS)));
        } catch (ClientException e) {
            // ECS answers "Unable to describe task definition." for a family with no active revision.
            return Optional.empty();
        }
    }
}
