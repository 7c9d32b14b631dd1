package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.elasticache.ElastiCacheDriver;

import static io.terrace.reconciler.aws.ElastiCacheReplies.describe;
import static io.terrace.reconciler.aws.ElastiCacheReplies.group;
import static io.terrace.reconciler.aws.ElastiCacheReplies.withGroup;
import static io.terrace.reconciler.aws.QueryReplay.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.schema.Availability;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ElastiCache calls moto lacks (IncreaseReplicaCount, DecreaseReplicaCount) and the wait for
 * a deleted group's subnet group to be free, against AWS's documented responses replayed by WireMock, with the
 * real SDK client: asserts the exact parameters sent and their order.
 */
class ElastiCacheReplicaCountTest {

    private static final String ENV = "acme-production";
    private static final String ID = ResourceNames.cacheGroup(ENV);
    private static final String NODE = "cache.r6g.large";

    private QueryReplay replay;
    private AwsClients aws;
    private DataTestContext context;
    private ElastiCacheDriver driver;

    @BeforeEach
    void setUp() {
        replay = new QueryReplay();
        aws = replay.clients();
        context = new DataTestContext(aws);
        driver = new ElastiCacheDriver(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        replay.close();
    }

    private static ObservedResource live(Resource desired, Map<String, String> tags) {
        return new ObservedResource(desired.address(), ResourceType.ELASTICACHE_REPLICATION_GROUP, ID, Map.of(), tags);
    }

    private void answerTags(Resource desired) {
        Map<String, String> before = new TreeMap<>(desired.tags());
        before.put(ObservedResource.REVISION, "rev-0");
        replay.answer("ListTagsForResource", 200, ElastiCacheReplies.tags("ListTagsForResource", before));
        replay.answer("AddTagsToResource", 200, ElastiCacheReplies.tags("AddTagsToResource", desired.tags()));
    }

    @Test
    void moreReplicasAreAddedWithIncreaseReplicaCountAndAwaited() {
        DataTestSpec spec = new DataTestSpec(ENV);
        spec.cacheReplicas = 3;
        Resource desired = spec.resource("cache/replication-group");
        replay.answer("DescribeReplicationGroups", START, START, 200, describe(group(ID, "available", NODE, 1, true, true)));
        replay.answer("IncreaseReplicaCount", START, "adding", 200,
                withGroup("IncreaseReplicaCount", group(ID, "modifying", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "adding", "added", 200, describe(group(ID, "modifying", NODE, 2, true, true)));
        replay.answer("DescribeReplicationGroups", "added", "added", 200, describe(group(ID, "available", NODE, 3, true, true)));
        answerTags(desired);

        ObservedResource result = driver.update(desired, live(desired, desired.tags()), List.of(), context);

        assertEquals(3, result.attributes().get("replicas"));
        assertEquals(Map.of("Action", "IncreaseReplicaCount", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "NewReplicaCount", "3", "ApplyImmediately", "true"), replay.only("IncreaseReplicaCount"));
        assertTrue(replay.actions().stream().noneMatch(a -> a.equals("ModifyReplicationGroup")
                || a.equals("DecreaseReplicaCount")), replay.actions().toString());
        assertTrue(context.polls() >= 1, "waited while the group was modifying");
        assertEquals(Map.of("Action", "AddTagsToResource", "Version", "2015-02-02", "ResourceName",
                ElastiCacheReplies.arn(ID), "Tags.Tag.1.Key", ObservedResource.REVISION, "Tags.Tag.1.Value", "rev-1"),
                replay.only("AddTagsToResource"));
    }

    @Test
    void failoverGoesOffBeforeReplicasAreRemovedWithDecreaseReplicaCount() {
        DataTestSpec spec = new DataTestSpec(ENV);
        spec.availability = Availability.SINGLE_AZ;
        spec.cacheReplicas = 0;
        Resource desired = spec.resource("cache/replication-group");
        replay.answer("DescribeReplicationGroups", START, START, 200, describe(group(ID, "available", NODE, 2, true, true)));
        replay.answer("ModifyReplicationGroup", START, "failover-off", 200,
                withGroup("ModifyReplicationGroup", group(ID, "modifying", NODE, 2, true, true)));
        replay.answer("DescribeReplicationGroups", "failover-off", "failover-off", 200,
                describe(group(ID, "available", NODE, 2, false, false)));
        replay.answer("DecreaseReplicaCount", "failover-off", "decreased", 200,
                withGroup("DecreaseReplicaCount", group(ID, "modifying", NODE, 2, false, false)));
        replay.answer("DescribeReplicationGroups", "decreased", "decreased", 200,
                describe(group(ID, "available", NODE, 0, false, false)));
        answerTags(desired);

        ObservedResource result = driver.update(desired, live(desired, desired.tags()), List.of(), context);

        assertEquals(0, result.attributes().get("replicas"));
        assertEquals(false, result.attributes().get("automaticFailover"));
        List<String> actions = replay.actions();
        assertTrue(actions.indexOf("ModifyReplicationGroup") < actions.indexOf("DecreaseReplicaCount"), actions.toString());
        assertEquals(Map.of("Action", "ModifyReplicationGroup", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "ApplyImmediately", "true", "AutomaticFailoverEnabled", "false", "MultiAZEnabled", "false"),
                replay.only("ModifyReplicationGroup"));
        assertEquals(Map.of("Action", "DecreaseReplicaCount", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "NewReplicaCount", "0", "ApplyImmediately", "true"), replay.only("DecreaseReplicaCount"));
    }

    @Test
    void deleteWaitsForTheAcceptedDeletionThenRetriesTheSubnetGroupUntilItIsFree() {
        Resource desired = new DataTestSpec(ENV).resource("cache/replication-group");
        replay.answer("DeleteReplicationGroup", START, "deleting", 200,
                withGroup("DeleteReplicationGroup", group(ID, "deleting", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "deleting", "deleting", 200,
                describe(group(ID, "deleting", NODE, 1, true, true)));
        // ElastiCache refuses the subnet group while the group's nodes still use it.
        replay.answer("DeleteCacheSubnetGroup", "deleting", "nodes-going", 400, ElastiCacheReplies.error(
                "CacheSubnetGroupInUse", "Cache subnet group " + ID + " is currently in use by a cache cluster."));
        replay.answer("DeleteCacheSubnetGroup", "nodes-going", "nodes-gone", 400, ElastiCacheReplies.error(
                "CacheSubnetGroupInUse", "Cache subnet group " + ID + " is currently in use by a cache cluster."));
        replay.answer("DeleteCacheSubnetGroup", "nodes-gone", "done", 200, ElastiCacheReplies.empty("DeleteCacheSubnetGroup"));

        driver.delete(live(desired, desired.tags()), context);

        assertEquals(List.of("DeleteReplicationGroup", "DescribeReplicationGroups", "DeleteCacheSubnetGroup",
                "DeleteCacheSubnetGroup", "DeleteCacheSubnetGroup"), replay.actions());
        assertEquals(2, context.polls(), "two refusals while the nodes were going");
        assertEquals(ID, replay.only("DeleteReplicationGroup").get("ReplicationGroupId"));
    }

    @Test
    void aGroupStillModifyingIsAskedAgainUntilAwsAcceptsTheDeletion() {
        Resource desired = new DataTestSpec(ENV).resource("cache/replication-group");
        replay.answer("DeleteReplicationGroup", START, "refused", 400, ElastiCacheReplies.error(
                "InvalidReplicationGroupState", "Replication group " + ID + " is not in available state."));
        replay.answer("DescribeReplicationGroups", "refused", "modified", 200,
                describe(group(ID, "modifying", NODE, 1, true, true)));
        replay.answer("DeleteReplicationGroup", "modified", "deleting", 200,
                withGroup("DeleteReplicationGroup", group(ID, "deleting", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "deleting", "deleting", 200,
                describe(group(ID, "deleting", NODE, 1, true, true)));
        replay.answer("DeleteCacheSubnetGroup", "deleting", "done", 200, ElastiCacheReplies.empty("DeleteCacheSubnetGroup"));

        driver.delete(live(desired, desired.tags()), context);

        assertEquals(List.of("DeleteReplicationGroup", "DescribeReplicationGroups", "DeleteReplicationGroup",
                "DescribeReplicationGroups", "DeleteCacheSubnetGroup"), replay.actions());
        assertEquals(1, context.polls());
    }

    @Test
    void deleteOfAGroupAlreadyGoneStillRemovesItsSubnetGroup() {
        Resource desired = new DataTestSpec(ENV).resource("cache/replication-group");
        replay.answer("DeleteReplicationGroup", 404,
                ElastiCacheReplies.error("ReplicationGroupNotFoundFault", "ReplicationGroup " + ID + " not found."));
        replay.answer("DeleteCacheSubnetGroup", 200, ElastiCacheReplies.empty("DeleteCacheSubnetGroup"));

        driver.delete(live(desired, desired.tags()), context);

        assertEquals(List.of("DeleteReplicationGroup", "DeleteCacheSubnetGroup"), replay.actions());
        assertEquals(0, context.polls());
    }
}
