package io.terrace.reconciler.aws.ecs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * ECS in three batched steps: DescribeClusters for up to {@value #CLUSTERS_PER_CALL} deterministic
 * cluster names per call (tags and settings included), DescribeServices for each live cluster's
 * services by name (at most {@value #SERVICES_PER_CALL} per call, tags included), and
 * DescribeTaskDefinition only for revisions the {@link TaskDefinitionCache} has not seen.
 */
public final class EcsObserver implements ServiceObserver {

    static final int CLUSTERS_PER_CALL = 100;
    static final int SERVICES_PER_CALL = 10;

    private final AwsClients aws;
    private final TaskDefinitionCache cache;

    public EcsObserver(AwsClients aws, TaskDefinitionCache cache) {
        this.aws = aws;
        this.cache = cache;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByCluster = new LinkedHashMap<>();
        environments.forEach(env -> envByCluster.put(ResourceNames.ecsCluster(env), env));
        List<ObservedResource> out = new ArrayList<>();
        List<String> names = new ArrayList<>(envByCluster.keySet());
        for (int i = 0; i < names.size(); i += CLUSTERS_PER_CALL) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + CLUSTERS_PER_CALL));
            for (Cluster c : aws.ecs.describeClusters(r -> r.clusters(chunk)
                    .include(ClusterField.TAGS, ClusterField.SETTINGS)).clusters()) {
                String env = envByCluster.get(c.clusterName());
                if (env == null || "INACTIVE".equals(c.status())) {
                    continue;
                }
                out.add(EcsResources.cluster(env, c));
                // Not skipped when activeServicesCount is 0: emulators do not keep that count.
                services(env, c.clusterName(), out);
            }
        }
        return out;
    }

    private void services(String env, String cluster, List<ObservedResource> out) {
        Map<String, Component> byName = new LinkedHashMap<>();
        EcsResources.SERVICE_COMPONENTS.forEach(c -> byName.put(ResourceNames.ecsService(c), c));
        List<String> names = new ArrayList<>(byName.keySet());
        for (int i = 0; i < names.size(); i += SERVICES_PER_CALL) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + SERVICES_PER_CALL));
            for (Service s : aws.ecs.describeServices(r -> r.cluster(cluster).services(chunk)
                    .include(ServiceField.TAGS)).services()) {
                Component component = byName.get(s.serviceName());
                if (component == null || !"ACTIVE".equals(s.status())) {
                    continue;
                }
                out.add(EcsResources.service(env, component, s));
                if (s.taskDefinition() != null) {
                    out.add(taskDefinition(env, component, s.taskDefinition()));
                }
            }
        }
    }

    private ObservedResource taskDefinition(String env, Component component, String arn) {
        TaskDefinitionCache.Entry entry = cache.get(arn).orElseGet(() -> {
            var r = aws.ecs.describeTaskDefinition(b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS));
            var e = TaskDefinitionCache.Entry.of(r.taskDefinition(), r.tags());
            cache.put(e);
            return e;
        });
        return EcsResources.taskDefinition(env, component, entry);
    }
}
