package io.terrace.reconciler.aws.elasticache;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

/**
 * Observes the cache component of many environments: DescribeReplicationGroups page by page, then
 * the groups' tags (which that call lacks) from one tagging-API sweep, with ListTagsForResource only
 * for a group missing from it (one without Terrace's tags). A group being deleted counts as gone:
 * the deletion was accepted, and a plan must not delete it again nor block on it. The groups'
 * maintenance windows, which AWS reports only per member cluster, come from one more sweep of
 * DescribeCacheClusters pages (each cluster names its group). A {@linkplain ServiceObserver#FEW few}
 * environments' groups, and their first members' windows, are described by id.
 */
public final class ElastiCacheObserver implements ServiceObserver {

    private static final int PAGE = 100;

    private final AwsClients aws;

    public ElastiCacheObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> groupEnv = new HashMap<>();
        environments.forEach(env -> groupEnv.put(ResourceNames.cacheGroup(env), env));
        List<ReplicationGroup> groups = groups(groupEnv.keySet()).stream()
                .filter(g -> groupEnv.containsKey(g.replicationGroupId()))
                .filter(g -> !ElastiCacheLive.isDeleting(g)).toList();
        if (groups.isEmpty()) {
            return List.of();
        }
        // "elasticache" rather than a resource type: emulators and AWS spell the replication group type differently.
        Map<String, Map<String, String>> swept = TaggingSweep.managed(aws.tagging, List.of("elasticache"), environments);
        Map<String, String> windows = new HashMap<>();
        if (ServiceObserver.few(environments)) {
            groups.forEach(g -> ElastiCacheLive.maintenanceWindow(aws.elastiCache, g)
                    .ifPresent(w -> windows.put(g.replicationGroupId(), w)));
        } else {
            aws.elastiCache.describeCacheClustersPaginator(r -> r.maxRecords(PAGE)).cacheClusters().stream()
                    .filter(c -> c.replicationGroupId() != null && c.preferredMaintenanceWindow() != null)
                    .forEach(c -> windows.putIfAbsent(c.replicationGroupId(), c.preferredMaintenanceWindow()));
        }
        List<ObservedResource> out = new ArrayList<>();
        for (ReplicationGroup g : groups) {
            Map<String, String> tags = swept.get(g.arn());
            if (tags == null) {
                tags = ElastiCacheLive.listTags(aws.elastiCache, g.arn());
            }
            out.add(ElastiCacheLive.observed(groupEnv.get(g.replicationGroupId()), g, tags,
                    Optional.ofNullable(windows.get(g.replicationGroupId()))));
        }
        return out;
    }

    /** A few environments' groups by id, one DescribeReplicationGroups each; else the region's, paged. */
    private List<ReplicationGroup> groups(Collection<String> ids) {
        if (!ServiceObserver.few(ids)) {
            return aws.elastiCache.describeReplicationGroupsPaginator(r -> r.maxRecords(PAGE)).replicationGroups()
                    .stream().toList();
        }
        return ids.stream().sorted().flatMap(id -> ElastiCacheLive.group(aws.elastiCache, id).stream()).toList();
    }
}
