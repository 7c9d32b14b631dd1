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
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The Aurora writer instance, created first in its cluster (promotion tier 0, so a failover
 * prefers it back) and resized in place with ModifyDBInstance.
 */
public record RdsWriterDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.RDS_WRITER;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return RdsLive.instance(aws.rds, desired.name())
                .<LiveRead>map(i -> new LiveRead.Present(observed(aws.rds, desired.environment(), i)))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        RdsClient rds = aws.rds;
        String env = desired.environment();
        String instanceClass = (String) desired.attributes().get(DbInstances.INSTANCE_CLASS);
        AuroraInstances.create(rds, desired.name(), ResourceNames.dbCluster(env), instanceClass, 0,
                AuroraInstances.Monitoring.of(desired, aws, context), desired.tags());
        AuroraInstances.awaitAvailable(rds, context, List.of(desired.name()), instanceClass);
        return observed(rds, env, RdsLive.instance(rds, desired.name()).orElseThrow());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        RdsClient rds = aws.rds;
        DBInstance current = RdsLive.instance(rds, live.id()).orElseThrow(() -> new IllegalStateException(
                live.address() + ": DB instance " + live.id() + " has disappeared"));
        String instanceClass = (String) desired.attributes().get(DbInstances.INSTANCE_CLASS);
        if (!instanceClass.equals(current.dbInstanceClass())) {
            AuroraInstances.modifyClass(rds, live.id(), instanceClass);
        }
        AuroraInstances.Monitoring monitoring = AuroraInstances.Monitoring.of(desired, aws, context);
        if (monitoring.differs(current)) {
            AuroraInstances.modifyMonitoring(rds, live.id(), monitoring);
        }
        AuroraInstances.awaitAvailable(rds, context, List.of(live.id()), instanceClass);
        AuroraInstances.syncTags(rds, current.dbInstanceArn(), AuroraInstances.tags(current), desired.tags());
        return observed(rds, desired.environment(), RdsLive.instance(rds, live.id()).orElseThrow());
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        AuroraInstances.delete(aws.rds, context, List.of(live.id()));
    }

    private static ObservedResource observed(RdsClient rds, String env, DBInstance instance) {
        boolean isWriter = RdsLive.cluster(rds, ResourceNames.dbCluster(env))
                .map(c -> c.dbClusterMembers().stream().anyMatch(m -> m.dbInstanceIdentifier()
                        .equals(instance.dbInstanceIdentifier()) && Boolean.TRUE.equals(m.isClusterWriter())))
                .orElse(false);
        return RdsLive.observedWriter(env, instance, isWriter);
    }
}
