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
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBProxy;
import software.amazon.awssdk.services.rds.model.DbProxyNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.ListTagsForResourceResponse;

/**
 * Observes the database component of many environments in one sweep: DescribeDBClusters,
 * DescribeDBInstances and DescribeDBProxies page by page (clusters and instances carry their
 * tags). Proxies do not, so their tags come from one tagging-API sweep, with ListTagsForResource
 * only for a proxy missing from it (one without Terrace's tags). Environments whose cluster has no
 * readers cost one more paged DescribeScalableTargets: a reader-scaling target is what tells an
 * empty reader set Terrace manages from a cluster that has none by design. A
 * {@linkplain ServiceObserver#FEW few} environments are read by name instead: their clusters and
 * the clusters' instances through the {@code db-cluster-id} filter, their proxies one by one,
 * and the scaling targets of their clusters only.
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
        boolean few = ServiceObserver.few(environments);
        List<DBCluster> clusters = aws.rds.describeDBClustersPaginator(r -> {
                    r.maxRecords(PAGE);
                    if (few) {
                        r.filters(clusterFilter(clusterEnv.keySet()));
                    }
                }).dbClusters().stream().filter(c -> clusterEnv.containsKey(c.dbClusterIdentifier())).toList();
        Map<String, List<DBInstance>> members = new HashMap<>();
        List<DBInstance> writers = new ArrayList<>();
        // A few environments' instances are those of their clusters: a writer is made in its cluster.
        List<String> clusterIds = clusters.stream().map(DBCluster::dbClusterIdentifier).toList();
        Iterable<DBInstance> instances = !few ? aws.rds.describeDBInstancesPaginator(r -> r.maxRecords(PAGE)).dbInstances()
                : clusterIds.isEmpty() ? List.of()
                : aws.rds.describeDBInstancesPaginator(r -> r.maxRecords(PAGE).filters(clusterFilter(clusterIds)))
                        .dbInstances();
        for (DBInstance i : instances) {
            if (i.dbClusterIdentifier() != null && clusterEnv.containsKey(i.dbClusterIdentifier())
                    && !"deleting".equals(i.dbInstanceStatus())) {
                members.computeIfAbsent(i.dbClusterIdentifier(), k -> new ArrayList<>()).add(i);
            }
            if (writerEnv.containsKey(i.dbInstanceIdentifier())) {
                writers.add(i);
            }
        }
        List<DBProxy> proxies = (few ? proxyEnv.keySet().stream().sorted().flatMap(name -> proxy(name).stream()).toList()
                : aws.rds.describeDBProxiesPaginator(r -> r.maxRecords(PAGE)).dbProxies().stream().toList())
                .stream().filter(p -> proxyEnv.containsKey(p.dbProxyName())).toList();

        List<ObservedResource> out = new ArrayList<>();
        Set<String> scaled = clusters.stream().anyMatch(c -> RdsLive.readers(clusterEnv.get(c.dbClusterIdentifier()),
                members.getOrDefault(c.dbClusterIdentifier(), List.of())).isEmpty())
                ? readerScalingTargets(few ? clusterIds : List.of()) : Set.of();
        for (DBCluster c : clusters) {
            String env = clusterEnv.get(c.dbClusterIdentifier());
            List<DBInstance> m = members.getOrDefault(c.dbClusterIdentifier(), List.of());
            String group = c.dbClusterParameterGroup();
            out.add(details.waiting(env)
                    ? RdsLive.observedCluster(env, c, Map.of()).withDetailsUnread(List.of(io.terrace.planner.AttributeKeys.DbCluster.PARAMETERS))
                    : RdsLive.observedCluster(env, c, details.read(env, "rds-parameters:" + group, group,
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

    /** The DescribeDBClusters / DescribeDBInstances filter on these clusters. */
    private static Filter clusterFilter(Collection<String> clusterIds) {
        return Filter.builder().name("db-cluster-id").values(clusterIds).build();
    }

    /** The proxy of this name, if there is one. */
    private Optional<DBProxy> proxy(String name) {
        try {
            return aws.rds.describeDBProxies(r -> r.dbProxyName(name)).dbProxies().stream().findFirst();
        } catch (DbProxyNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Resource ids ({@code cluster:<id>}) of the Aurora reader-count scalable targets of
     * {@code clusters}, or of every cluster when empty.
     */
    private Set<String> readerScalingTargets(List<String> clusters) {
        List<String> resourceIds = clusters.stream().map(c -> "cluster:" + c).toList();
        Set<String> ids = new HashSet<>();
        for (ScalableTarget t : aws.autoScaling.describeScalableTargetsPaginator(r -> r.serviceNamespace("rds")
                        .resourceIds(resourceIds.isEmpty() ? null : resourceIds)).scalableTargets()) {
            if ("rds:cluster:ReadReplicaCount".equals(t.scalableDimensionAsString())) {
                ids.add(t.resourceId());
            }
        }
        return ids;
    }
}
