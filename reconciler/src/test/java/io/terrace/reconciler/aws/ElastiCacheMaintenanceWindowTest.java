package io.terrace.reconciler.aws;

import static io.terrace.reconciler.aws.ElastiCacheReplies.cacheCluster;
import static io.terrace.reconciler.aws.ElastiCacheReplies.describe;
import static io.terrace.reconciler.aws.ElastiCacheReplies.group;
import static io.terrace.reconciler.aws.ElastiCacheReplies.withGroup;
import static io.terrace.reconciler.aws.QueryReplay.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Cache;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.elasticache.ElastiCacheDriver;
import io.terrace.reconciler.engine.LiveRead;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache's maintenance window against AWS's answers replayed with the real SDK client (moto
 * keeps no member clusters to report it, and ignores it on ModifyReplicationGroup): read from the
 * first member cluster, a drifted window planned as a change, corrected with ModifyReplicationGroup
 * carrying the snapshot window the hour before it, and read back.
 */
class ElastiCacheMaintenanceWindowTest {

    private static final String ENV = "acme-production";
    private static final String ID = ResourceNames.cacheGroup(ENV);
    private static final String NODE = "cache.r6g.large";
    private static final String MEMBER = ID + "-001";

    private QueryReplay replay;
    private AwsClients aws;
    private DataTestContext context;

    @BeforeEach
    void setUp() {
        replay = new QueryReplay();
        aws = replay.clients();
        context = new DataTestContext(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        replay.close();
    }

    @Test
    void aDriftedWindowIsReadFromTheMemberClusterAndCorrected() {
        DataTestSpec spec = new DataTestSpec(ENV);
        spec.maintenanceWindow = Optional.of("sun:02:00-sun:04:00");
        Resource desired = spec.resource("cache/replication-group");
        replay.answer("DescribeReplicationGroups", 200, describe(group(ID, "available", NODE, 1, true, true)));
        replay.answer("DescribeCacheClusters", START, START, 200,
                cacheCluster(ID, MEMBER, "wed:07:00-wed:08:00", "05:00-06:00"));
        replay.answer("ModifyReplicationGroup", START, "modified", 200,
                withGroup("ModifyReplicationGroup", group(ID, "available", NODE, 1, true, true)));
        replay.answer("DescribeCacheClusters", "modified", "modified", 200,
                cacheCluster(ID, MEMBER, "sun:02:00-sun:04:00", "01:00-02:00"));
        Map<String, String> tags = new TreeMap<>(desired.tags());
        replay.answer("ListTagsForResource", 200, ElastiCacheReplies.tags("ListTagsForResource", tags));
        ElastiCacheDriver driver = new ElastiCacheDriver(aws);

        ObservedResource live = ((LiveRead.Present) driver.read(desired, context)).resource();
        assertEquals("wed:07:00-wed:08:00", live.attributes().get(Cache.MAINTENANCE_WINDOW));
        assertEquals(Map.of("Action", "DescribeCacheClusters", "Version", "2015-02-02", "CacheClusterId", MEMBER),
                replay.only("DescribeCacheClusters"));
        List<AttributeChange> changes = ResourceDiff.of(desired, live).attributes();
        assertEquals(List.of(new AttributeChange(Cache.MAINTENANCE_WINDOW, "wed:07:00-wed:08:00", "sun:02:00-sun:04:00")),
                changes);

        ObservedResource after = driver.update(desired, live, changes, context);

        assertEquals(Map.of("Action", "ModifyReplicationGroup", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "ApplyImmediately", "true", "PreferredMaintenanceWindow", "sun:02:00-sun:04:00",
                "SnapshotWindow", "01:00-02:00"), replay.only("ModifyReplicationGroup"));
        assertEquals("sun:02:00-sun:04:00", after.attributes().get(Cache.MAINTENANCE_WINDOW));
        assertEquals(List.of(), ResourceDiff.of(desired, after).attributes(), "re-plan is empty");
    }
}
