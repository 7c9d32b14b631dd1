package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.elasticache.ElastiCacheDriver;
import io.terrace.reconciler.aws.elasticache.ElastiCacheObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.schema.Availability;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ElastiCache driver and observer against moto (replica-count changes: see ElastiCacheReplicaCountTest). */
@NeedsMoto
class ElastiCacheDriverIT extends DataDriverFixture {

    private static final String ADDRESS = ENV + "/cache/replication-group";

    private ManagedDriver driver;

    @BeforeEach
    void buildDriver() {
        driver = new ManagedDriver(new ElastiCacheDriver(aws));
    }

    private ObservedResource live() {
        return live(observe(new ElastiCacheObserver(aws)), ADDRESS);
    }

    @Test
    void createdGroupIsObservedWithTheDesiredAttributes() {
        ObservedResource created = driver.create(spec.resource("cache/replication-group"), context);
        ObservedResource observed = live();

        assertEquals(created, observed);
        assertEquals(ResourceNames.cacheGroup(ENV), observed.id());
        assertEquals("redis", observed.attributes().get("engine"));
        assertEquals("cache.r6g.large", observed.attributes().get("nodeType"));
        assertEquals(1, observed.attributes().get("replicas"));
        assertEquals(true, observed.attributes().get("automaticFailover"));
        assertEquals(true, observed.attributes().get("multiAz"));
        assertTrue(observed.isManagedByTerrace());
        assertEquals("cache", observed.tags().get(ObservedResource.COMPONENT));
        var subnetGroup = aws.elastiCache.describeCacheSubnetGroups(r -> r.cacheSubnetGroupName(ResourceNames.cacheGroup(ENV)))
                .cacheSubnetGroups().get(0);
        assertEquals(2, subnetGroup.subnets().size());
    }

    @Test
    void createIsIdempotent() {
        driver.create(spec.resource("cache/replication-group"), context);
        driver.create(spec.resource("cache/replication-group"), context);
        assertEquals(1L, aws.counter().snapshot().get("ElastiCache:CreateReplicationGroup"));
    }

    @Test
    void nodeTypeFailoverAndTagsChangeWithModifyReplicationGroup() {
        driver.create(spec.resource("cache/replication-group"), context);
        spec.nodeType = "cache.r6g.xlarge";
        spec.availability = Availability.SINGLE_AZ;
        spec.revision = "rev-2";
        driver.update(spec.resource("cache/replication-group"), live(), List.of(), context);

        ObservedResource after = live();
        assertEquals("cache.r6g.xlarge", after.attributes().get("nodeType"));
        assertEquals(false, after.attributes().get("automaticFailover"));
        assertEquals(false, after.attributes().get("multiAz"));
        assertEquals(1, after.attributes().get("replicas"));
        assertEquals("rev-2", after.tags().get(ObservedResource.REVISION));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("ElastiCache:IncreaseReplicaCount", 0L)
                + aws.counter().snapshot().getOrDefault("ElastiCache:DecreaseReplicaCount", 0L));
    }

    @Test
    void aGroupWhoseDeletionWasAcceptedIsNoLongerObserved() {
        driver.create(spec.resource("cache/replication-group"), context);

        driver.delete(live(), context);

        // moto keeps a deleted group in status "deleting" forever (AWS removes it after the nodes)
        // and has no DeleteCacheSubnetGroup, so the subnet group stays there.
        var raw = aws.elastiCache.describeReplicationGroups(r -> r.replicationGroupId(ResourceNames.cacheGroup(ENV)))
                .replicationGroups();
        assertTrue(raw.isEmpty() || "deleting".equals(raw.get(0).status()), raw.toString());
        assertEquals(List.of(), new ElastiCacheObserver(aws).observe(List.of(ENV)));
    }

    @Test
    void aSameNamedGroupWithoutTerraceTagsIsObservedButNeverTouched() {
        aws.elastiCache.createReplicationGroup(r -> r.replicationGroupId(ResourceNames.cacheGroup(ENV))
                .replicationGroupDescription("someone else's").engine("redis").cacheNodeType("cache.t4g.micro")
                .tags(t -> t.key("owner").value("someone-else")));

        ObservedResource foreign = live();
        assertFalse(foreign.isManagedByTerrace());
        assertEquals(Map.of("owner", "someone-else"), foreign.tags());
        var refused = assertThrows(IllegalStateException.class,
                () -> driver.update(spec.resource("cache/replication-group"), foreign, List.of(), context));
        assertTrue(refused.getMessage().startsWith("refusing to modify aws_elasticache_replication_group "
                + ResourceNames.cacheGroup(ENV)),
                refused.getMessage());
        assertThrows(IllegalStateException.class, () -> driver.delete(foreign, context));
        assertThrows(IllegalStateException.class, () -> driver.create(spec.resource("cache/replication-group"), context));
        assertEquals("cache.t4g.micro", live().attributes().get("nodeType"));
        assertEquals("available", live().attributes().get("status"));
    }

    /**
     * moto stores the snapshot window sent at create and returns it, but keeps no member clusters
     * (so no maintenance window to read back: the attribute is then not compared, see
     * ElastiCacheMaintenanceWindowTest for AWS's answers), and ignores both on ModifyReplicationGroup.
     */
    @Test
    void aMaintenanceWindowIsSentWithTheHourBeforeItAsTheSnapshotWindow() {
        spec.maintenanceWindow = java.util.Optional.of("sun:02:00-sun:04:00");
        var desired = spec.resource("cache/replication-group");
        ObservedResource created = driver.create(desired, context);
        var group = aws.elastiCache.describeReplicationGroups(r -> r.replicationGroupId(ResourceNames.cacheGroup(ENV)))
                .replicationGroups().get(0);
        assertEquals("01:00-02:00", group.snapshotWindow());
        ObservedResource observed = live();
        assertEquals(created, observed);
        assertFalse(observed.attributes().containsKey("maintenanceWindow"), "moto describes no member cluster");
        assertFalse(io.terrace.planner.ResourceDiff.of(desired, observed).differs(), "re-plan is empty");
    }
}
