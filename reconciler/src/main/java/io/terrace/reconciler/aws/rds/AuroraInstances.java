package io.terrace.reconciler.aws.rds;

import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeKeys.DbInstances;
import io.terrace.planner.Component;
import io.terrace.planner.Resource;
import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.iam.IamRoles;
import io.terrace.reconciler.engine.DriverContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The instance operations the writer, reader and cluster drivers share: create in a cluster,
 * change class, delete, wait, and bring Terrace's tags up to date on any RDS resource.
 */
final class AuroraInstances {

    private AuroraInstances() {}

    /**
     * Enhanced monitoring and Performance Insights as an instance should have them: the interval
     * (0 is off) with the monitoring role's ARN, and Performance Insights with its retention (the
     * key is RDS's default, {@code aws/rds}).
     */
    record Monitoring(int interval, String roleArn, boolean insights, int retention) {

        static Monitoring of(Resource desired, AwsClients aws, DriverContext context) {
            Map<String, Object> a = desired.attributes();
            int interval = ((Number) a.getOrDefault(DbInstances.MONITORING_INTERVAL, 0)).intValue();
            String role = String.valueOf(a.getOrDefault(DbInstances.MONITORING_ROLE, ""));
            String roleArn = null;
            if (interval > 0 && !role.isEmpty()) {
                String address = Addresses.of(desired.environment(), Component.DATABASE, "monitoring-role");
                roleArn = context.live(address).filter(r -> role.equals(r.id()))
                        .map(r -> String.valueOf(r.attributes().get("arn")))
                        .or(() -> IamRoles.role(aws.iam, role).map(r -> r.arn()))
                        .orElseThrow(() -> new IllegalStateException(desired.address() + ": role " + role
                                + " does not exist; it is created at " + address));
            }
            boolean insights = Boolean.TRUE.equals(a.get(DbInstances.PERFORMANCE_INSIGHTS));
            int retention = ((Number) a.getOrDefault(DbInstances.PERFORMANCE_INSIGHTS_RETENTION, 0)).intValue();
            return new Monitoring(interval, roleArn, insights, retention);
        }

        /**
         * Whether a live instance differs: monitoring always, Performance Insights only when the
         * answer carries it (moto never does; it is sent again at each such modification).
         */
        boolean differs(DBInstance i) {
            Map<String, Object> live = RdsLive.monitoring(i);
            if (((Number) live.get(DbInstances.MONITORING_INTERVAL)).intValue() != interval
                    || !String.valueOf(live.get(DbInstances.MONITORING_ROLE)).equals(roleName())) {
                return true;
            }
            return live.containsKey(DbInstances.PERFORMANCE_INSIGHTS)
                    && (!live.get(DbInstances.PERFORMANCE_INSIGHTS).equals(insights)
                    || ((Number) live.get(DbInstances.PERFORMANCE_INSIGHTS_RETENTION)).intValue() != retention);
        }

        private String roleName() {
            return roleArn == null ? "" : roleArn.substring(roleArn.lastIndexOf('/') + 1);
        }

        CreateDbInstanceRequest.Builder applyTo(CreateDbInstanceRequest.Builder r) {
            r.monitoringInterval(interval).enablePerformanceInsights(insights);
            if (interval > 0) {
                r.monitoringRoleArn(roleArn);
            }
            return insights ? r.performanceInsightsRetentionPeriod(retention) : r;
        }

        ModifyDbInstanceRequest.Builder applyTo(ModifyDbInstanceRequest.Builder r) {
            r.monitoringInterval(interval).enablePerformanceInsights(insights);
            if (interval > 0) {
                r.monitoringRoleArn(roleArn);
            }
            return insights ? r.performanceInsightsRetentionPeriod(retention) : r;
        }
    }

    /** Starts creating an instance in {@code clusterId}; pair with {@link #awaitAvailable}. */
    static void create(RdsClient rds, String id, String clusterId, String instanceClass, int promotionTier,
            Monitoring monitoring, Map<String, String> tags) {
        rds.createDBInstance(r -> monitoring.applyTo(r.dbInstanceIdentifier(id)
                .dbClusterIdentifier(clusterId)
                .engine("aurora-mysql")
                .dbInstanceClass(instanceClass)
                .promotionTier(promotionTier)
                .publiclyAccessible(false)
                .tags(TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build()))));
    }

    /** Brings an instance's enhanced monitoring and Performance Insights to what is wanted. */
    static void modifyMonitoring(RdsClient rds, String id, Monitoring monitoring) {
        rds.modifyDBInstance(r -> monitoring.applyTo(r.dbInstanceIdentifier(id).applyImmediately(true)));
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
