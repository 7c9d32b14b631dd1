package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.EcsCluster;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import io.terrace.reconciler.engine.RevisionStamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;

/**
 * The cluster component: one ECS cluster per environment, with Container Insights on in
 * production. Its {@code terrace:revision} tag is not set here but by {@link #stamp}, which the
 * executor calls only after a fully successful apply (and after checking the cluster is
 * Terrace's): the tag then says "every resource of this environment was applied at that
 * revision" (the drift rule).
 */
public record EcsClusterDriver(AwsClients aws) implements ResourceDriver, RevisionStamp {

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ResourceType type() {
        return ResourceType.ECS_CLUSTER;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return EcsResources.describeCluster(aws, desired.name())
                .<LiveRead>map(c -> new LiveRead.Present(EcsResources.cluster(desired.environment(), c)))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        String env = desired.environment();
        aws.ecs.createCluster(r -> r.clusterName(desired.name())
                .settings(insights(desired))
                .tags(EcsResources.toTags(TagSync.withoutRevision(desired.tags()))));
        return waitActive(env, desired.name(), context);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        Object want = desired.attributes().get(EcsCluster.CONTAINER_INSIGHTS);
        if (want != null && !want.equals(live.attributes().get(EcsCluster.CONTAINER_INSIGHTS))) {
            // UpdateCluster (not UpdateClusterSettings): same effect, and the emulator supports it.
            aws.ecs.updateCluster(r -> r.cluster(live.id()).settings(insights(desired)));
        }
        EcsResources.syncTags(aws, live.id(), live.tags(), TagSync.withoutRevision(desired.tags()));
        return waitActive(desired.environment(), desired.name(), context);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String name = EcsResources.clusterName(live.environment());
        if (EcsResources.describeCluster(aws, name).isEmpty()) {
            return;
        }
        aws.ecs.deleteCluster(r -> r.cluster(live.id()));
        context.await("ECS cluster " + name + " to become inactive",
                () -> EcsResources.describeCluster(aws, name).isEmpty());
    }

    @Override
    public ObservedResource stamp(ObservedResource cluster, String revision, DriverContext context) {
        aws.ecs.tagResource(r -> r.resourceArn(cluster.id())
                .tags(EcsResources.toTags(Map.of(ObservedResource.REVISION, revision))));
        Map<String, String> tags = new TreeMap<>(cluster.tags());
        tags.put(ObservedResource.REVISION, revision);
        return new ObservedResource(cluster.address(), cluster.type(), cluster.id(), cluster.attributes(), tags);
    }

    private ObservedResource waitActive(String env, String name, DriverContext context) {
        Cluster[] last = new Cluster[1];
        context.await("ECS cluster " + name + " to become active", () -> {
            last[0] = EcsResources.describeCluster(aws, name)
                    .orElseThrow(() -> new IllegalStateException("ECS cluster " + name + " disappeared"));
            if ("FAILED".equals(last[0].status())) {
                throw new IllegalStateException("ECS cluster " + name + " failed to provision");
            }
            return "ACTIVE".equals(last[0].status());
        });
        return EcsResources.cluster(env, last[0]);
    }

    private static ClusterSetting insights(Resource desired) {
        return ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS)
                .value(String.valueOf(desired.attributes().getOrDefault(EcsCluster.CONTAINER_INSIGHTS, "disabled")))
                .build();
    }
}
