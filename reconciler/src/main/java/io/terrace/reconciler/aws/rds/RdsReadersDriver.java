package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.Ownership;
import io.terrace.reconciler.engine.ResourceDriver;
import io.terrace.schema.EnvironmentSpec.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The Aurora reader instances as one set whose size the reader autoscaler moves within the spec's
 * range. Terrace only corrects a count outside the range: it adds readers named
 * {@code <prefix>N} up to the minimum, or removes its own (highest number first) down to the
 * maximum; a count within the range is the autoscaler's and is left alone. Readers the autoscaler
 * added ({@code application-autoscaling-*}) belong to the set too; an instance of any other name
 * or a Terrace-named one without Terrace's tags is never touched.
 */
public record RdsReadersDriver(AwsClients aws) implements ResourceDriver {

    static final String AUTOSCALER_PREFIX = "application-autoscaling-";
    private static final int READER_PROMOTION_TIER = 1;

    @Override
    public ResourceType type() {
        return ResourceType.RDS_READERS;
    }

    /**
     * The set is reconciled whole, by create and update alike, each reader checked on its own:
     * there is no single resource to adopt.
     */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return LiveRead.ABSENT;
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        return reconcile(desired, context);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        return reconcile(desired, context);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        RdsClient rds = aws.rds;
        String env = live.environment();
        List<DBInstance> readers = RdsLive.readers(env, RdsLive.members(rds, ResourceNames.dbCluster(env)));
        AuroraInstances.delete(rds, context, readers.stream().filter(r -> isOurs(env, r))
                .map(DBInstance::dbInstanceIdentifier).toList());
    }

    private ObservedResource reconcile(Resource desired, DriverContext context) {
        RdsClient rds = aws.rds;
        String env = desired.environment();
        String clusterId = ResourceNames.dbCluster(env);
        String prefix = desired.name();
        String instanceClass = (String) desired.attributes().get(DbInstances.INSTANCE_CLASS);
        Range range = (Range) desired.attributes().get(DbInstances.COUNT);
        DBCluster cluster = RdsLive.cluster(rds, clusterId).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": DB cluster " + clusterId + " does not exist"));

        List<DBInstance> readers = RdsLive.readers(env, RdsLive.members(rds, clusterId));
        for (DBInstance r : readers) {
            if (r.dbInstanceIdentifier().startsWith(prefix)) {
                Ownership.requireManaged(desired.address(), "modify", "DB instance " + r.dbInstanceIdentifier(), AuroraInstances.tags(r));
            }
        }
        AuroraInstances.Monitoring monitoring = AuroraInstances.Monitoring.of(desired, aws, context);
        List<String> created = new ArrayList<>();
        if (readers.size() < range.min()) {
            Set<String> taken = new HashSet<>();
            readers.forEach(r -> taken.add(r.dbInstanceIdentifier()));
            for (int n = 1; created.size() < range.min() - readers.size(); n++) {
                String id = prefix + n;
                if (taken.add(id)) {
                    AuroraInstances.create(rds, id, clusterId, instanceClass, READER_PROMOTION_TIER, monitoring,
                            desired.tags());
                    created.add(id);
                }
            }
        }
        List<String> removed = new ArrayList<>();
        if (readers.size() > range.max()) {
            List<DBInstance> removable = readers.stream().filter(r -> isOurs(env, r))
                    .sorted(scaleInOrder(prefix)).toList();
            int excess = readers.size() - range.max();
            if (removable.size() < excess) {
                throw new IllegalStateException(desired.address() + ": " + readers.size() + " readers, at most "
                        + range.max() + " wanted, but only " + removable.size() + " are Terrace's to remove");
            }
            removable.subList(0, excess).forEach(r -> removed.add(r.dbInstanceIdentifier()));
            AuroraInstances.delete(rds, context, removed);
        }
        List<String> kept = new ArrayList<>(created);
        for (DBInstance r : readers) {
            if (removed.contains(r.dbInstanceIdentifier()) || !isOurs(env, r)) {
                continue;
            }
            if (!instanceClass.equals(r.dbInstanceClass())) {
                AuroraInstances.modifyClass(rds, r.dbInstanceIdentifier(), instanceClass);
            }
            if (monitoring.differs(r)) {
                AuroraInstances.modifyMonitoring(rds, r.dbInstanceIdentifier(), monitoring);
            }
            if (r.dbInstanceIdentifier().startsWith(prefix)) {
                AuroraInstances.syncTags(rds, r.dbInstanceArn(), AuroraInstances.tags(r), desired.tags());
            }
            kept.add(r.dbInstanceIdentifier());
        }
        AuroraInstances.awaitAvailable(rds, context, kept, instanceClass);
        return RdsLive.observedReaders(env, cluster, RdsLive.members(rds, clusterId));
    }

    /** Terrace's own readers, and the ones the reader autoscaler added to Terrace's cluster. */
    private static boolean isOurs(String env, DBInstance r) {
        String id = r.dbInstanceIdentifier();
        return id.startsWith(AUTOSCALER_PREFIX)
                || id.startsWith(ResourceNames.dbReaderPrefix(env)) && RdsLive.isTerrace(env, AuroraInstances.tags(r));
    }

    /** Terrace's readers from the highest number down, then the autoscaler's. */
    private static Comparator<DBInstance> scaleInOrder(String prefix) {
        return Comparator.comparingLong((DBInstance r) -> {
            String id = r.dbInstanceIdentifier();
            if (!id.startsWith(prefix)) {
                return Long.MIN_VALUE;
            }
            try {
                return Long.parseLong(id.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }).reversed();
    }
}
