package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.aws.rds.RdsObserver;
import io.terrace.reconciler.aws.rds.RdsProxyDriver;
import io.terrace.reconciler.aws.rds.RdsReadersDriver;
import io.terrace.reconciler.aws.rds.RdsWriterDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/** The Aurora drivers and the RDS observer against moto. */
@NeedsMoto
class RdsDriversIT extends DataDriverFixture {

    private ManagedDriver clusters;
    private ManagedDriver writers;
    private ManagedDriver readers;
    private ManagedDriver proxies;

    @BeforeEach
    void buildDrivers() {
        clusters = new ManagedDriver(new RdsClusterDriver(aws));
        writers = new ManagedDriver(new RdsWriterDriver(aws));
        readers = new ManagedDriver(new RdsReadersDriver(aws));
        proxies = new ManagedDriver(new RdsProxyDriver(aws));
    }

    private ObservedState observe() {
        return observe(new RdsObserver(aws));
    }

    private ObservedResource live(String resource) {
        return live(observe(), ENV + "/database/" + resource);
    }

    private void createDatabase() {
        clusters.create(spec.resource("database/cluster"), context);
        if (spec.stage == Stage.PRODUCTION) {
            createMonitoringRole(aws, spec, context);
        }
        writers.create(spec.resource("database/writer"), context);
        readers.create(spec.resource("database/readers"), context);
    }

    @Test
    void createdDatabaseIsObservedWithTheDesiredAttributes() {
        spec.proxy = true;
        createDatabase();
        ObservedResource proxy = proxies.create(spec.resource("database/proxy"), context);

        ObservedResource cluster = live("cluster");
        assertEquals(ResourceNames.dbCluster(ENV), cluster.id());
        assertEquals("aurora-mysql", cluster.attributes().get("engine"));
        assertEquals("8.0", cluster.attributes().get("engineVersion"));
        assertEquals("8.0.mysql_aurora.3.08.2", cluster.attributes().get("engineVersionFull"));
        assertEquals(true, cluster.attributes().get("deletionProtection"));
        assertEquals(14, cluster.attributes().get("backupRetentionDays"));
        assertTrue(cluster.isManagedByTerrace());
        assertEquals("database", cluster.tags().get(ObservedResource.COMPONENT));
        assertEquals("rev-1", cluster.tags().get(ObservedResource.REVISION));
        assertEquals("web", cluster.tags().get("cost-centre"));
        // RDS keeps the master password: Terrace only ever sees the secret's ARN.
        assertTrue(cluster.attributes().get("masterUserSecretArn").toString().startsWith("arn:aws:secretsmanager:"));
        var described = aws.rds.describeDBClusters(r -> r.dbClusterIdentifier(cluster.id())).dbClusters().get(0);
        assertEquals(ResourceNames.dbCluster(ENV), described.dbSubnetGroup());
        // Connections must use TLS: the cluster's parameter group requires secure transport.
        String parameterGroup = ResourceNames.dbClusterParameterGroup(ENV, "8.0");
        assertEquals(parameterGroup, cluster.attributes().get("parameterGroup"));
        assertEquals(parameterGroup, described.dbClusterParameterGroup());
        var secureTransport = aws.rds.describeDBClusterParameters(r -> r.dbClusterParameterGroupName(parameterGroup))
                .parameters().stream().filter(p -> p.parameterName().equals("require_secure_transport")).toList();
        assertEquals(List.of("ON"), secureTransport.stream().map(p -> p.parameterValue()).toList());

        assertEquals("db.r6g.large", live("writer").attributes().get("instanceClass"));
        assertEquals(true, live("writer").attributes().get("isClusterWriter"));
        ObservedResource readerSet = live("readers");
        assertEquals(1, readerSet.attributes().get("count"));
        assertEquals("db.r6g.large", readerSet.attributes().get("instanceClass"));
        assertEquals(List.of(ResourceNames.dbReaderPrefix(ENV) + "1"), readerSet.attributes().get("members"));
        assertTrue(readerSet.isManagedByTerrace());

        assertEquals(proxy, live("proxy"));
        assertEquals("MYSQL", proxy.attributes().get("engineFamily"));
        assertEquals(true, proxy.attributes().get("requireTls"));
        assertTrue(proxy.isManagedByTerrace());
        var targets = aws.rds.describeDBProxyTargets(r -> r.dbProxyName(proxy.id())).targets();
        assertEquals(ResourceNames.dbCluster(ENV), targets.get(0).rdsResourceId());
    }

    @Test
    void theMaintenanceWindowIsTheClustersAndReadsBackAsDesired() {
        spec.maintenanceWindow = java.util.Optional.of("sun:02:00-sun:04:00");
        createDatabase();
        var described = aws.rds.describeDBClusters(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(ENV)))
                .dbClusters().get(0);
        assertEquals("sun:02:00-sun:04:00", described.preferredMaintenanceWindow());
        assertEquals("sun:02:00-sun:04:00", live("cluster").attributes().get("maintenanceWindow"));

        spec.maintenanceWindow = java.util.Optional.of("sat:22:00-sun:01:00");
        clusters.update(spec.resource("database/cluster"), live("cluster"), List.of(), context);
        assertEquals("sat:22:00-sun:01:00", aws.rds.describeDBClusters(r -> r.dbClusterIdentifier(
                ResourceNames.dbCluster(ENV))).dbClusters().get(0).preferredMaintenanceWindow());
        var desired = spec.resource("database/cluster").attributes();
        assertEquals(desired.get("maintenanceWindow"), live("cluster").attributes().get("maintenanceWindow"));
    }

    @Test
    void restoreFromAnotherEnvironmentRestoresItsNewestSnapshotAndIsNotDriftAfterwards() {
        // moto cannot restore a snapshot of a cluster whose password RDS manages (KeyError
        // '_master_user_password', docs/aws.md): the source environment's cluster is made here
        // with a password of its own, as one from before RDS kept passwords would be.
        String source = ResourceNames.dbCluster(ENV);
        aws.rds.createDBCluster(r -> r.dbClusterIdentifier(source).engine("aurora-mysql")
                .engineVersion("8.0.mysql_aurora.3.08.2").masterUsername("admin").masterUserPassword("not-a-secret-1")
                .tags(t -> t.key("terrace:environment").value(ENV)));
        aws.rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(source).dbClusterSnapshotIdentifier("acme-manual-1"));
        String copyEnv = "acme-copy";
        ObservedResource copyNetwork = DataTestNetwork.create(aws, copyEnv);
        DataTestContext copyContext = new DataTestContext(aws).with(copyNetwork);
        DataTestSpec copy = new DataTestSpec(copyEnv);
        copy.stage = Stage.STAGING;
        copy.restoreFrom = java.util.Optional.of(ENV);
        var desired = copy.resource("database/cluster");
        assertEquals(ENV, desired.attributes().get("restoreFrom"));

        ObservedResource restored = clusters.create(desired, copyContext);

        assertEquals(1L, aws.counter().snapshot().get("Rds:RestoreDBClusterFromSnapshot"), aws.counter().snapshot().toString());
        assertEquals(1L, aws.counter().snapshot().get("Rds:CreateDBCluster"), "only the source: the copy is restored");
        try (AwsClients check = Moto.clients()) {
            var cluster = check.rds.describeDBClusters(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(copyEnv)))
                    .dbClusters().get(0);
            assertEquals("available", cluster.status());
            assertEquals("aurora-mysql", cluster.engine());
            assertEquals(1, cluster.backupRetentionPeriod(), "the staging retention, set after the restore");
            assertTrue(cluster.masterUserSecret() != null, "RDS keeps the restored cluster's password too");
        }
        // The restored cluster is the copy's cluster from now on: restoreFrom is never compared.
        var diff = io.terrace.planner.ResourceDiff.of(desired, restored);
        assertFalse(diff.differs(), diff.attributes().toString());
    }

    @Test
    void createIsIdempotent() {
        createDatabase();
        createDatabase();
        assertEquals(1, live("readers").attributes().get("count"));
        assertEquals(1L, aws.counter().snapshot().get("Rds:CreateDBCluster"), aws.counter().snapshot().toString());
    }

    @Test
    void updateChangesClusterSettingsWriterClassAndTags() {
        createDatabase();
        spec.stage = Stage.STAGING;
        spec.decommission = true;
        spec.instanceClass = "db.r6g.xlarge";
        spec.revision = "rev-2";
        clusters.update(spec.resource("database/cluster"), live("cluster"), List.of(), context);
        writers.update(spec.resource("database/writer"), live("writer"), List.of(), context);
        readers.update(spec.resource("database/readers"), live("readers"), List.of(), context);

        ObservedResource cluster = live("cluster");
        assertEquals(false, cluster.attributes().get("deletionProtection"));
        assertEquals(1, cluster.attributes().get("backupRetentionDays"));
        assertEquals("rev-2", cluster.tags().get(ObservedResource.REVISION));
        assertEquals("true", cluster.tags().get(ObservedResource.DECOMMISSION));
        assertEquals("db.r6g.xlarge", live("writer").attributes().get("instanceClass"));
        assertEquals("db.r6g.xlarge", live("readers").attributes().get("instanceClass"));

        spec.decommission = false;
        spec.revision = "rev-3";
        clusters.update(spec.resource("database/cluster"), live("cluster"), List.of(), context);
        assertNull(live("cluster").tags().get(ObservedResource.DECOMMISSION));
        assertEquals(true, live("cluster").attributes().get("deletionProtection"));
    }

    @Test
    void readerCountOutsideTheRangeIsClampedAndWithinItIsLeftAlone() {
        createDatabase();
        spec.readers = new Range(3, 5);
        readers.update(spec.resource("database/readers"), live("readers"), List.of(), context);
        assertEquals(3, live("readers").attributes().get("count"));

        spec.readers = new Range(1, 4);
        long creates = aws.counter().snapshot().getOrDefault("Rds:CreateDBInstance", 0L);
        readers.update(spec.resource("database/readers"), live("readers"), List.of(), context);
        assertEquals(3, live("readers").attributes().get("count"));
        assertEquals(creates, aws.counter().snapshot().getOrDefault("Rds:CreateDBInstance", 0L));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("Rds:DeleteDBInstance", 0L));

        spec.readers = new Range(0, 1);
        readers.update(spec.resource("database/readers"), live("readers"), List.of(), context);
        ObservedResource after = live("readers");
        assertEquals(1, after.attributes().get("count"));
        // Terrace removes its highest-numbered readers first.
        assertEquals(List.of(ResourceNames.dbReaderPrefix(ENV) + "1"), after.attributes().get("members"));
    }

    @Test
    void anEmptyReaderSetIsObservedOnlyWhereReaderScalingIsConfigured() {
        spec.readers = new Range(0, 2);
        createDatabase();
        assertFalse(observe().get(ENV + "/database/readers").isPresent());

        aws.autoScaling.registerScalableTarget(r -> r.serviceNamespace("rds")
                .resourceId("cluster:" + ResourceNames.dbCluster(ENV))
                .scalableDimension("rds:cluster:ReadReplicaCount").minCapacity(0).maxCapacity(2));
        ObservedResource empty = live("readers");
        assertEquals(0, empty.attributes().get("count"));
        assertEquals("db.r6g.large", empty.attributes().get("instanceClass"));
    }

    @Test
    void deletingTheDatabaseTakesAFinalSnapshot() {
        spec.proxy = true;
        createDatabase();
        proxies.create(spec.resource("database/proxy"), context);
        proxies.delete(live("proxy"), context);
        readers.delete(live("readers"), context);
        writers.delete(live("writer"), context);
        clusters.delete(live("cluster"), context);

        assertTrue(observe().resources().isEmpty());
        assertTrue(aws.rds.describeDBProxies(r -> { }).dbProxies().isEmpty());
        List<String> snapshots = aws.rds.describeDBClusterSnapshots(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(ENV)))
                .dbClusterSnapshots().stream().map(DBClusterSnapshot::dbClusterSnapshotIdentifier).toList();
        assertTrue(snapshots.contains(ResourceNames.dbCluster(ENV) + "-final-20260301120000"), snapshots.toString());
        assertTrue(aws.rds.describeDBSubnetGroups().dbSubnetGroups().stream()
                .noneMatch(g -> g.dbSubnetGroupName().equals(ResourceNames.dbCluster(ENV))));
        assertTrue(aws.rds.describeDBClusterParameterGroups().dbClusterParameterGroups().stream()
                .noneMatch(g -> g.dbClusterParameterGroupName().equals(ResourceNames.dbClusterParameterGroup(ENV, "8.0"))));
    }

    @Test
    void deletingTheClusterRemovesInstancesLeftInIt() {
        createDatabase();
        clusters.delete(live("cluster"), context);
        assertTrue(observe().resources().isEmpty());
        assertTrue(aws.rds.describeDBInstances().dbInstances().isEmpty());
    }

    @Test
    void aSameNamedClusterWithoutTerraceTagsIsObservedButNeverTouched() {
        String id = ResourceNames.dbCluster(ENV);
        aws.rds.createDBCluster(r -> r.dbClusterIdentifier(id).engine("aurora-mysql").masterUsername("someone")
                .manageMasterUserPassword(true).tags(t -> t.key("owner").value("someone-else")));
        aws.rds.createDBInstance(r -> r.dbInstanceIdentifier(ResourceNames.dbWriter(ENV)).dbClusterIdentifier(id)
                .engine("aurora-mysql").dbInstanceClass("db.t4g.medium"));

        ObservedResource cluster = live("cluster");
        assertFalse(cluster.isManagedByTerrace());
        assertEquals(Map.of("owner", "someone-else"), cluster.tags());
        ObservedResource writer = live("writer");
        assertFalse(writer.isManagedByTerrace());

        var update = assertThrows(IllegalStateException.class,
                () -> clusters.update(spec.resource("database/cluster"), cluster, List.of(), context));
        assertTrue(update.getMessage().contains("refusing to modify aws_rds_cluster " + id), update.getMessage());
        assertThrows(IllegalStateException.class, () -> clusters.delete(cluster, context));
        assertThrows(IllegalStateException.class, () -> clusters.create(spec.resource("database/cluster"), context));
        assertThrows(IllegalStateException.class, () -> writers.delete(writer, context));
        assertThrows(IllegalStateException.class,
                () -> writers.update(spec.resource("database/writer"), writer, List.of(), context));
        assertEquals("db.t4g.medium", live("writer").attributes().get("instanceClass"));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("Rds:ModifyDBCluster", 0L));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("Rds:DeleteDBCluster", 0L));
    }

    @Test
    void aTerraceNamedReaderWithoutTerraceTagsBlocksTheReaderSet() {
        createDatabase();
        aws.rds.createDBInstance(r -> r.dbInstanceIdentifier(ResourceNames.dbReaderPrefix(ENV) + "9")
                .dbClusterIdentifier(ResourceNames.dbCluster(ENV)).engine("aurora-mysql").dbInstanceClass("db.r6g.large"));
        ObservedResource set = live("readers");
        assertFalse(set.isManagedByTerrace());
        assertThrows(IllegalStateException.class, () -> readers.delete(set, context));
        spec.readers = new Range(0, 1);
        assertThrows(IllegalStateException.class,
                () -> readers.create(spec.resource("database/readers"), context));
        assertEquals(2, live("readers").attributes().get("count"));
    }
}
