package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.reconciler.engine.DriverContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The instance operations the writer, reader and cluster drivers share: create in a cluster,
 * change class, delete, wait, and bring Terrace's tags up to date on any RDS resource.
 */
final class AuroraInstances {

    private AuroraInstances() {}

    /** Starts creating an instance in {@code clusterId}; pair with {@link #awaitAvailable}. */
    static void create(RdsClient rds, String id, String clusterId, String instanceClass, int promotionTier,
            Map<String, String> tags) {
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id)
                .dbClusterIdentifier(clusterId)
                .engine("aurora-mysql")
                .dbInstanceClass(instanceClass)
                .promotionTier(promotionTier)
                .publiclyAccessible(false)
                .tags(TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build())));
    }

    static void modifyClass(RdsClient rds, String id, String instanceClass) {
        rds.modifyDBInstance(r -> r.dbInstanceIdentifier(id).dbInstanceClass(instanceClass).applyImmediately(true));
    }

    /** Waits until every instance is available with the given class. */
    static void awaitAvailable(RdsClient rds, DriverContext context, Collection<String> ids, String instanceClass) {
        for (String id : ids) {
            context.await("DB instance " + id + " available as " + instanceClass, () -> RdsLive.instance(rds, id)
                    .filter(i -> "available".equals(i.dbInstanceStatus()) && instanceClass.equals(i.dbInstanceClass()))
                    .isPresent());
        }
    }

    /** Deletes the instances (no-op for those already gone) and waits until all are gone. */
    static void delete(RdsClient rds, DriverContext context, List<String> ids) {
        for (String id : ids) {
            try {
                rds.deleteDBInstance(r -> r.dbInstanceIdentifier(id));
            } catch (DbInstanceNotFoundException e) {
                // Already gone: deleting is idempotent.
            }
        }
        for (String id : ids) {
            context.await("DB instance " + id + " deleted", () -> RdsLive.instance(rds, id).isEmpty());
        }
    }

    static void syncTags(RdsClient rds, String arn, Map<String, String> live, Map<String, String> desired) {
        TagSync.between(live, desired).send(
                set -> rds.addTagsToResource(r -> r.resourceName(arn)
                        .tags(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                keys -> rds.removeTagsFromResource(r -> r.resourceName(arn).tagKeys(keys)));
    }

    static Map<String, String> tags(DBInstance i) {
        return RdsLive.tags(i.tagList());
    }
}
