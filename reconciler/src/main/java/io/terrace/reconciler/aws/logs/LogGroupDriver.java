package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.LogGroup;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A CloudWatch Logs group with its retention. CloudWatch Logs encrypts it at rest with its own
 * key; deleting it deletes its events, which only a decommission or a dropped component does.
 */
public record LogGroupDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.LOG_GROUP;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return LogGroups.find(aws.logs, desired.name())
                .<LiveRead>map(g -> new LiveRead.Present(LogGroups.observed(desired.address(), g,
                        LogGroups.tags(aws.logs, LogGroups.arn(g)))))
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        aws.logs.createLogGroup(r -> r.logGroupName(desired.name()).tags(desired.tags()));
        putRetention(desired);
        return reread(desired);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        if (!Objects.equals(retention(desired), live.attributes().get(LogGroup.RETENTION_DAYS))) {
            putRetention(desired);
        }
        String arn = String.valueOf(live.attributes().get("arn"));
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.logs.tagResource(r -> r.resourceArn(arn).tags(set)),
                keys -> aws.logs.untagResource(r -> r.resourceArn(arn).tagKeys(keys)));
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        try {
            aws.logs.deleteLogGroup(r -> r.logGroupName(live.id()));
        } catch (ResourceNotFoundException e) {
            // Already gone.
        }
    }

    private void putRetention(Resource desired) {
        aws.logs.putRetentionPolicy(r -> r.logGroupName(desired.name()).retentionInDays(retention(desired)));
    }

    private ObservedResource reread(Resource desired) {
        var g = LogGroups.find(aws.logs, desired.name()).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": log group " + desired.name() + " is not readable after being written"));
        return LogGroups.observed(desired.address(), g, LogGroups.tags(aws.logs, LogGroups.arn(g)));
    }

    private static Integer retention(Resource desired) {
        return ((Number) desired.attributes().get(LogGroup.RETENTION_DAYS)).intValue();
    }
}
