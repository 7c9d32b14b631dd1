package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.network.NetworkPlacement;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.DbCluster;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterRequest;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The Aurora MySQL cluster: a DB subnet group over the network stack's private subnets, the cluster
 * in the data security group with its master password kept by RDS in Secrets Manager (so no secret
 * ever passes through Terrace), deletion protection and backup retention. Deleting it removes any
 * instances left in it, then the cluster itself, always after a final snapshot.
 */
public record RdsClusterDriver(AwsClients aws) implements ResourceDriver {

    static final String MASTER_USERNAME = "terrace";
    /** The parameters Terrace sets that wait for the next reboot rather than apply at once. */
    static final Set<String> REBOOT_PARAMETERS = Set.of("require_secure_transport");
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    @Override
    public ResourceType type() {
        return ResourceType.RDS_CLUSTER;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return RdsLive.cluster(aws.rds, desired.name())
                .<LiveRead>map(c -> new LiveRead.Present(RdsLive.observedCluster(aws.rds, desired.environment(), c)))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        RdsClient rds = aws.rds;
        String env = desired.environment();
        String id = desired.name();
        NetworkPlacement network = NetworkPlacement.of(env, context);
        List<Tag> tags = TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build());
        try {
            rds.createDBSubnetGroup(r -> r.dbSubnetGroupName(id)
                    .dbSubnetGroupDescription("Terrace " + env + " database")
                    .subnetIds(network.privateSubnetIds())
                    .tags(tags));
        } catch (DbSubnetGroupAlreadyExistsException e) {
            // Left by an earlier attempt; its subnets are the stack's, which do not change.
        }
        String parameterGroup = ensureParameterGroup(rds, desired, tags);
        String restoreFrom = (String) desired.attributes().get(DbCluster.RESTORE_FROM);
        if (restoreFrom != null) {
            return restore(desired, context, restoreFrom, parameterGroup, network, tags);
        }
        rds.createDBCluster(r -> r.dbClusterIdentifier(id)
                .dbClusterParameterGroupName(parameterGroup)
                .engine("aurora-mysql")
                .engineVersion(AuroraVersion.concrete((String) desired.attributes().get(DbCluster.ENGINE_VERSION)))
                .masterUsername(MASTER_USERNAME)
                .manageMasterUserPassword(true)
                .dbSubnetGroupName(id)
                .vpcSecurityGroupIds(network.dataSecurityGroupId())
                .deletionProtection((Boolean) desired.attributes().get(DbCluster.DELETION_PROTECTION))
                .backupRetentionPeriod(((Number) desired.attributes().get(DbCluster.BACKUP_RETENTION_DAYS)).intValue())
                .storageEncrypted(true)
                .enableCloudwatchLogsExports(logExports(desired))
                .copyTagsToSnapshot(true)
                .preferredMaintenanceWindow((String) desired.attributes().get(DbCluster.MAINTENANCE_WINDOW))
                .tags(tags));
        return awaitAvailable(rds, context, env, id, desired);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        RdsClient rds = aws.rds;
        String id = live.id();
        DBCluster current = RdsLive.cluster(rds, id).orElseThrow(() -> new IllegalStateException(
                live.address() + ": DB cluster " + id + " has disappeared"));
        var a = desired.attributes();
        ModifyDbClusterRequest.Builder modify = ModifyDbClusterRequest.builder().dbClusterIdentifier(id)
                .applyImmediately(true);
        boolean modified = false;
        Boolean protection = (Boolean) a.get(DbCluster.DELETION_PROTECTION);
        if (!protection.equals(current.deletionProtection())) {
            modify.deletionProtection(protection);
            modified = true;
        }
        int retention = ((Number) a.get(DbCluster.BACKUP_RETENTION_DAYS)).intValue();
        if (current.backupRetentionPeriod() == null || retention != current.backupRetentionPeriod()) {
            modify.backupRetentionPeriod(retention);
            modified = true;
        }
        if (Boolean.TRUE.equals(a.get(DbCluster.MANAGED_MASTER_PASSWORD)) && current.masterUserSecret() == null) {
            // A cluster from before RDS kept its password: hand the password to Secrets Manager,
            // where the containers' DB_PASSWORD secret reads it.
            modify.manageMasterUserPassword(true);
            modified = true;
        }
        String major = (String) a.get(DbCluster.ENGINE_VERSION);
        if (!major.equals(AuroraVersion.major(current.engineVersion()))) {
            modify.engineVersion(AuroraVersion.concrete(major)).allowMajorVersionUpgrade(true);
            modified = true;
        }
        String window = (String) a.get(DbCluster.MAINTENANCE_WINDOW);
        if (window != null && !window.equalsIgnoreCase(String.valueOf(current.preferredMaintenanceWindow()))) {
            modify.preferredMaintenanceWindow(window);
            modified = true;
        }
        String parameterGroup = (String) a.get(DbCluster.PARAMETER_GROUP);
        if (!parameterGroup.equals(current.dbClusterParameterGroup())) {
            ensureParameterGroup(rds, desired,
                    TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build()));
            modify.dbClusterParameterGroupName(parameterGroup);
            modified = true;
        }
        if (changes.stream().anyMatch(c -> c.path().startsWith(DbCluster.PARAMETERS))
                && parameterGroup.equals(current.dbClusterParameterGroup())) {
            // The group is the cluster's already: only its values moved.
            ensureParameterGroup(rds, desired,
                    TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build()));
        }
        List<String> exports = logExports(desired);
        List<String> liveExports = current.hasEnabledCloudwatchLogsExports() ? current.enabledCloudwatchLogsExports()
                : List.of();
        if (!new TreeSet<>(exports).equals(new TreeSet<>(liveExports))) {
            modify.cloudwatchLogsExportConfiguration(x -> x
                    .enableLogTypes(exports.stream().filter(t -> !liveExports.contains(t)).toList())
                    .disableLogTypes(liveExports.stream().filter(t -> !exports.contains(t)).toList()));
            modified = true;
        }
        if (modified) {
            rds.modifyDBCluster(modify.build());
        }
        ObservedResource result = awaitAvailable(rds, context, desired.environment(), id, desired);
        AuroraInstances.syncTags(rds, current.dbClusterArn(), result.tags(), desired.tags());
        return RdsLive.observedCluster(rds, desired.environment(), RdsLive.cluster(rds, id).orElseThrow());
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        RdsClient rds = aws.rds;
        String id = live.id();
        var cluster = RdsLive.cluster(rds, id);
        if (cluster.isPresent()) {
            deleteInstances(rds, context, live.environment(), id);
            if (Boolean.TRUE.equals(cluster.get().deletionProtection())) {
                // The plan that deletes a database was allowed (decommissioned or --allow-destroy),
                // and the final snapshot below keeps the data.
                rds.modifyDBCluster(r -> r.dbClusterIdentifier(id).deletionProtection(false).applyImmediately(true));
                context.await("DB cluster " + id + " without deletion protection", () -> RdsLive.cluster(rds, id)
                        .filter(c -> !Boolean.TRUE.equals(c.deletionProtection())).isPresent());
            }
            String snapshot = finalSnapshotId(id, context);
            try {
                rds.deleteDBCluster(r -> r.dbClusterIdentifier(id).skipFinalSnapshot(false)
                        .finalDBSnapshotIdentifier(snapshot));
            } catch (DbClusterNotFoundException e) {
                // Gone meanwhile.
            }
            context.await("DB cluster " + id + " deleted", () -> RdsLive.cluster(rds, id).isEmpty());
        }
        try {
            rds.deleteDBSubnetGroup(r -> r.dbSubnetGroupName(id));
        } catch (DbSubnetGroupNotFoundException e) {
            // Never created or already deleted.
        }
        Object parameterGroup = live.attributes().get(DbCluster.PARAMETER_GROUP);
        if (parameterGroup instanceof String name && name.startsWith("terrace-")) {
            try {
                rds.deleteDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(name));
            } catch (DbParameterGroupNotFoundException e) {
                // Never created or already deleted.
            }
        }
    }

    /**
     * Creates the cluster parameter group the desired state names, for the cluster's major
     * version, when it is missing, and sets Terrace's parameters in it: TLS required
     * ({@code require_secure_transport}, applied at the next reboot as before) and the slow query
     * log to files (dynamic: applied at once).
     */
    static String ensureParameterGroup(RdsClient rds, Resource desired, List<Tag> tags) {
        String name = (String) desired.attributes().get(DbCluster.PARAMETER_GROUP);
        String major = (String) desired.attributes().get(DbCluster.ENGINE_VERSION);
        try {
            rds.createDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(name)
                    .dbParameterGroupFamily("aurora-mysql" + major)
                    .description("Terrace " + desired.environment() + " database: TLS only")
                    .tags(tags));
        } catch (DbParameterGroupAlreadyExistsException e) {
            // Left by an earlier attempt or shared by an earlier revision: its parameter is set below.
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) desired.attributes().get(DbCluster.PARAMETERS);
        List<Parameter> parameters = new ArrayList<>();
        values.forEach((k, v) -> parameters.add(Parameter.builder().parameterName(k).parameterValue(String.valueOf(v))
                .applyMethod(REBOOT_PARAMETERS.contains(k) ? ApplyMethod.PENDING_REBOOT : ApplyMethod.IMMEDIATE)
                .build()));
        rds.modifyDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(name).parameters(parameters));
        return name;
    }

    @SuppressWarnings("unchecked")
    private static List<String> logExports(Resource desired) {
        return (List<String>) desired.attributes().get(DbCluster.LOG_EXPORTS);
    }

    static String finalSnapshotId(String clusterId, DriverContext context) {
        return clusterId + "-final-" + SNAPSHOT_TIME.format(context.clock().instant());
    }

    /** Readers first, then the writer: the order Aurora needs to never promote a doomed reader. */
    private static void deleteInstances(RdsClient rds, DriverContext context, String env, String clusterId) {
        List<DBInstance> members = RdsLive.members(rds, clusterId);
        List<String> readers = new ArrayList<>(RdsLive.readers(env, members).stream()
                .map(DBInstance::dbInstanceIdentifier).toList());
        AuroraInstances.delete(rds, context, readers);
        List<String> rest = RdsLive.members(rds, clusterId).stream().map(DBInstance::dbInstanceIdentifier).toList();
        AuroraInstances.delete(rds, context, rest);
    }

    /**
     * A new cluster from a snapshot (RestoreDBClusterFromSnapshot): {@code from} names a cluster
     * snapshot, or an environment whose cluster's newest available snapshot (automated or manual)
     * is taken. Once available, the settings a restore does not take (backup retention, the
     * RDS-managed password, the maintenance window) are brought in line as an update would.
     */
    private ObservedResource restore(Resource desired, DriverContext context, String from, String parameterGroup,
            NetworkPlacement network, List<Tag> tags) {
        RdsClient rds = aws.rds;
        String id = desired.name();
        String snapshot = snapshotToRestore(rds, from);
        org.slf4j.LoggerFactory.getLogger(RdsClusterDriver.class).info("event=restore cluster={} snapshot={}", id, snapshot);
        rds.restoreDBClusterFromSnapshot(r -> r.dbClusterIdentifier(id)
                .snapshotIdentifier(snapshot)
                .engine("aurora-mysql")
                .engineVersion(AuroraVersion.concrete((String) desired.attributes().get(DbCluster.ENGINE_VERSION)))
                .dbClusterParameterGroupName(parameterGroup)
                .dbSubnetGroupName(id)
                .vpcSecurityGroupIds(network.dataSecurityGroupId())
                .deletionProtection((Boolean) desired.attributes().get(DbCluster.DELETION_PROTECTION))
                .enableCloudwatchLogsExports(logExports(desired))
                .copyTagsToSnapshot(true)
                .tags(tags));
        context.await("DB cluster " + id + " restored", () -> RdsLive.cluster(rds, id)
                .filter(c -> "available".equals(c.status())).isPresent());
        ObservedResource restored = RdsLive.observedCluster(rds, desired.environment(), RdsLive.cluster(rds, id).orElseThrow());
        return update(desired, restored, List.of(), context);
    }

    /** The snapshot identifier {@code from} names, or the newest available snapshot of environment {@code from}. */
    static String snapshotToRestore(RdsClient rds, String from) {
        String sourceCluster = ResourceNames.dbCluster(from);
        List<software.amazon.awssdk.services.rds.model.DBClusterSnapshot> snapshots;
        try {
            snapshots = rds.describeDBClusterSnapshotsPaginator(r -> r.dbClusterIdentifier(sourceCluster))
                    .dbClusterSnapshots().stream().toList();
        } catch (DbClusterNotFoundException e) {
            snapshots = List.of();
        }
        return snapshots.stream().filter(s -> "available".equals(s.status()) && s.snapshotCreateTime() != null)
                .max(java.util.Comparator.comparing(software.amazon.awssdk.services.rds.model.DBClusterSnapshot::snapshotCreateTime))
                .map(software.amazon.awssdk.services.rds.model.DBClusterSnapshot::dbClusterSnapshotIdentifier)
                .orElse(from);
    }

    private static ObservedResource awaitAvailable(RdsClient rds, DriverContext context, String env, String id,
            Resource desired) {
        context.await("DB cluster " + id + " available", () -> RdsLive.cluster(rds, id)
                .filter(c -> "available".equals(c.status()))
                .map(c -> RdsLive.observedCluster(env, c, Map.of()))
                .filter(o -> o.attributes().get(DbCluster.DELETION_PROTECTION).equals(desired.attributes().get(DbCluster.DELETION_PROTECTION))
                        && (!Boolean.TRUE.equals(desired.attributes().get(DbCluster.MANAGED_MASTER_PASSWORD))
                                || Boolean.TRUE.equals(o.attributes().get(DbCluster.MANAGED_MASTER_PASSWORD)))
                        && o.attributes().get(DbCluster.ENGINE_VERSION).equals(desired.attributes().get(DbCluster.ENGINE_VERSION)))
                .isPresent());
        return RdsLive.observedCluster(rds, env, RdsLive.cluster(rds, id).orElseThrow());
    }
}
