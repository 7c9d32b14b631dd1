package io.terrace.reconciler.wiring;

import io.terrace.reconciler.aws.AutoscalingTargetDriver;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.CloudFrontDriver;
import io.terrace.reconciler.aws.CloudWatchAlarmDriver;
import io.terrace.reconciler.aws.EcsClusterDriver;
import io.terrace.reconciler.aws.EcsServiceDriver;
import io.terrace.reconciler.aws.EcsTaskDefinitionDriver;
import io.terrace.reconciler.aws.ElastiCacheDriver;
import io.terrace.reconciler.aws.IamRoleDriver;
import io.terrace.reconciler.aws.LogGroupDriver;
import io.terrace.reconciler.aws.MetricFilterDriver;
import io.terrace.reconciler.aws.NetworkStackDriver;
import io.terrace.reconciler.aws.OpenSearchDriver;
import io.terrace.reconciler.aws.RdsClusterDriver;
import io.terrace.reconciler.aws.RdsProxyDriver;
import io.terrace.reconciler.aws.RdsReadersDriver;
import io.terrace.reconciler.aws.RdsWriterDriver;
import io.terrace.reconciler.aws.S3BucketDriver;
import io.terrace.reconciler.aws.SnsTopicDriver;
import io.terrace.reconciler.aws.TransientFailure;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;

/**
 * The one list of Terrace's drivers, built for one region with its clients: a new kind of
 * resource is one line here (and one observer mapping in {@code aws}).
 */
public final class Drivers {

    private Drivers() {}

    /** One driver per {@link io.terrace.planner.ResourceType}, speaking to {@code aws}'s region. */
    public static List<ResourceDriver> of(AwsClients aws) {
        return List.of(
                new NetworkStackDriver(aws),
                new EcsClusterDriver(aws),
                new EcsTaskDefinitionDriver(aws),
                new EcsServiceDriver(aws),
                new AutoscalingTargetDriver(aws),
                new S3BucketDriver(aws),
                new RdsClusterDriver(aws),
                new RdsWriterDriver(aws),
                new RdsReadersDriver(aws),
                new RdsProxyDriver(aws),
                new ElastiCacheDriver(aws),
                new OpenSearchDriver(aws),
                new CloudFrontDriver(aws),
                new SnsTopicDriver(aws),
                new CloudWatchAlarmDriver(aws),
                new IamRoleDriver(aws),
                new LogGroupDriver(aws),
                new MetricFilterDriver(aws)
        );
    }

    /** An executor with every driver of {@code aws}'s region, on the system clock. */
    public static PlanExecutor executor(AwsClients aws) {
        return new PlanExecutor(of(aws), new EcsClusterDriver(aws), TransientFailure::isTransient);
    }
}
