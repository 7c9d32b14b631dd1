package io.terrace.reconciler.aws.logs;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsErrors;
import io.terrace.reconciler.aws.TagSync;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.LogGroup;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A CloudWatch Logs group with its retention, encrypted with the environment's KMS key (created
 * with it; a group whose key differs is associated with it, which applies to events written from
 * then on). Deleting it deletes its events, which only a decommission or a dropped component does.
 */
public record LogGroupDriver(AwsClients aws) implements ResourceDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LogGroupDriver.class);

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

    /**
     * A wave's groups under {@code /terrace/<env>/} in one paged DescribeLogGroups of that prefix
     * (RDS's groups, named by RDS, one each), rather than one call each.
     */
    @Override
    public Map<String, LiveRead> readAll(List<Resource> desired, DriverContext context) {
        Map<String, LiveRead> out = new LinkedHashMap<>();
        Map<String, List<Resource>> byPrefix = new LinkedHashMap<>();
        for (Resource r : desired) {
            String prefix = ResourceNames.logGroupPrefix(r.environment());
            byPrefix.computeIfAbsent(r.name().startsWith(prefix) ? prefix : r.name(), k -> new ArrayList<>()).add(r);
        }
        byPrefix.forEach((prefix, resources) -> {
            Map<String, software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup> found = new HashMap<>();
            aws.logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(prefix)).logGroups()
                    .forEach(g -> found.put(g.logGroupName(), g));
            for (Resource r : resources) {
                var g = found.get(r.name());
                out.put(r.address(), g == null ? LiveRead.ABSENT : new LiveRead.Present(LogGroups.observed(r.address(),
                        g, LogGroups.tags(aws.logs, LogGroups.arn(g)))));
            }
        });
        return out;
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        aws.logs.createLogGroup(r -> r.logGroupName(desired.name()).kmsKeyId(kmsKey(desired)).tags(desired.tags()));
        putRetention(desired);
        // A new group is what was written, with its tags: not read again with DescribeLogGroups.
        var created = software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup.builder()
                .logGroupName(desired.name()).logGroupArn(LogGroups.arn(aws, desired.name()))
                .retentionInDays(retention(desired)).kmsKeyId(kmsKey(desired)).build();
        return LogGroups.observed(desired.address(), created, desired.tags());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        if (!Objects.equals(retention(desired), live.attributes().get(LogGroup.RETENTION_DAYS))) {
            putRetention(desired);
        }
        String key = kmsKey(desired);
        if (key != null && !key.equals(live.attributes().get(LogGroup.KMS_KEY))) {
            associateKey(desired.name(), key);
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

    /**
     * Encrypts the group's new events with {@code key} (CloudWatch Logs checks the key policy
     * lets it use the key for this group first). An endpoint without the operation (moto) leaves
     * the group as it is, with a warning: the next pass finds the same difference.
     */
    private void associateKey(String group, String key) {
        try {
            aws.logs.associateKmsKey(r -> r.logGroupName(group).kmsKeyId(key));
        } catch (CloudWatchLogsException e) {
            if (!AwsErrors.isUnimplemented(e)) {
                throw e;
            }
            LOG.atWarn().setMessage("log-group-key-not-associated").addKeyValue("group", group)
                    .addKeyValue("reason", "the endpoint does not implement AssociateKmsKey").log();
        }
    }

    private static String kmsKey(Resource desired) {
        // Resolved by the executor; a reference it could not resolve names no key yet.
        return desired.attributes().get(LogGroup.KMS_KEY) instanceof String key ? key : null;
    }

    private void putRetention(Resource desired) {
        aws.logs.putRetentionPolicy(r -> r.logGroupName(desired.name()).retentionInDays(retention(desired)));
    }

    private ObservedResource reread(Resource desired) {
        var g = written(desired);
        return LogGroups.observed(desired.address(), g, LogGroups.tags(aws.logs, LogGroups.arn(g)));
    }

    private software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup written(Resource desired) {
        return LogGroups.find(aws.logs, desired.name()).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": log group " + desired.name() + " is not readable after being written"));
    }

    private static Integer retention(Resource desired) {
        return ((Number) desired.attributes().get(LogGroup.RETENTION_DAYS)).intValue();
    }
}
