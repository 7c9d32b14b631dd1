package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBProxy;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceResponse;

/**
 * Observes the database component of many environments in one sweep: DescribeDBClusters,
 * DescribeDBInstances and DescribeDBProxies page by page (clusters and instances carry their
 * tags). Proxies do not, so their tags come from one tagging-API sweep, with ListTagsForResource
 * only for a proxy missing from it (one without Terrace's tags). Environments whose cluster has no
 * readers cost one more paged DescribeScalableTargets: a reader-scaling target is what tells an
 * empty reader set Terrace manages from a cluster that has none by design.
 */
public final class RdsObserver implements ServiceObserver {

    private static final int PAGE = 100;

    private final AwsClients aws;
    private final DetailReads details;

    public RdsObserver(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where the detail reads are kept between observes */
    public RdsObserver(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> clusterEnv = new HashMap<>();
        Map<String, String> writerEnv = new HashMap<>();
        Map<String, String> proxyEnv = new HashMap<>();
        for (String env : environments) {
            clusterEnv.put(ResourceNames.dbCluster(env), env);
            writerEnv.put(ResourceNames.dbWriter(env), env);
            proxyEnv.put(ResourceNames.dbProxy(env), env);
        }
        List<DBCluster> clusters = aws.rds.describeDBClustersPaginator(r -> r.maxRecords(PAGE)).dbClusters()
                .stream().filter(c -> clusterEnv.containsKey(c.dbClusterIdentifier())).toList();
        Map<String, List<DBInstance>> members = new HashMap<>();
        List<DBInstance> writers = new ArrayList<>();
        for (DBInstance i : aws.rds.describeDBInstancesPaginator(r -> r.maxRecords(PAGE)).dbInstances()) {
            if (i.dbClusterIdentifier() != null && clusterEnv.containsKey(i.dbClusterIdentifier())
                    && !"deleting".equals(i.dbInstanceStatus())) {
                members.computeIfAbsent(i.dbClusterIdentifier(), k -> new ArrayList<>()).add(i);
            }
            if (writerEnv.containsKey(i.dbInstanceIdentifier())) {
                writers.add(i);
            }
        }
        List<DBProxy> proxies = aws.rds.describeDBProxiesPaginator(r -> r.maxRecords(PAGE)).dbProxies()
                .stream().filter(p -> proxyEnv.containsKey(p.dbProxyName())).toList();

        List<ObservedResource> out = new ArrayList<>();
        Set<String> scaled = clusters.stream().anyMatch(c -> RdsLive.readers(clusterEnv.get(c.dbClusterIdentifier()),
                members.getOrDefault(c.dbClusterIdentifier(), List.of())).isEmpty()) ? readerScalingTargets() : Set.of();
        for (DBCluster c : clusters) {
            String env = clusterEnv.get(c.dbClusterIdentifier());
            List<DBInstance> m = members.getOrDefault(c.dbClusterIdentifier(), List.of());
            String group = c.dbClusterParameterGroup();
            out.add(RdsLive.observedCluster(env, c, details.read(env, "rds-parameters:" + group, group,
                    () -> RdsLive.parameters(aws.rds, group))));
            if (!RdsLive.readers(env, m).isEmpty() || scaled.contains("cluster:" + c.dbClusterIdentifier())) {
                out.add(RdsLive.observedReaders(env, c, m));
            }
        }
        for (DBInstance w : writers) {
            String env = writerEnv.get(w.dbInstanceIdentifier());
            boolean isWriter = clusters.stream().flatMap(c -> c.dbClusterMembers().stream())
                    .anyMatch(cm -> cm.dbInstanceIdentifier().equals(w.dbInstanceIdentifier())
                            && Boolean.TRUE.equals(cm.isClusterWriter()));
            out.add(RdsLive.observedWriter(env, w, isWriter));
        }
        Map<String, Map<String, String>> proxyTags = proxies.isEmpty() ? Map.of()
                : TaggingSweep.managed(aws.tagging, List.of("rds:db-proxy"), environments);
        for (DBProxy p : proxies) {
            Map<String, String> tags = proxyTags.get(p.dbProxyArn());
            if (tags == null) {
                ListTagsForResourceResponse listed = aws.rds.listTagsForResource(r -> r.resourceName(p.dbProxyArn()));
                tags = RdsLive.tags(listed.tagList());
            }
            out.add(RdsLive.observedProxy(proxyEnv.get(p.dbProxyName()), p, tags));
        }
        return out;
    }

    /** Resource ids ({@code cluster:<id>}) of every Aurora reader-count scalable target. */
    private Set<String> readerScalingTargets() {
        Set<String> ids = new HashSet<>();
        for (ScalableTarget t : aws.autoScaling.describeScalableTargetsPaginator(r -> r.serviceNamespace("rds"))
                .scalableTargets()) {
            if ("rds:cluster:ReadReplicaCount".equals(t.scalableDimensionAsString())) {
                ids.add(t.resourceId());
            }
        }
        return ids;
    }
}
