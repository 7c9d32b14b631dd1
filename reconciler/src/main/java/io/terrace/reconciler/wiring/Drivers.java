package io.terrace.reconciler.wiring;

import io.terrace.reconciler.aws.acm.AcmCertificateDriver;
import io.terrace.reconciler.aws.autoscaling.AutoscalingTargetDriver;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.cloudfront.CloudFrontDriver;
import io.terrace.reconciler.aws.monitoring.CloudWatchAlarmDriver;
import io.terrace.reconciler.aws.ecs.EcsClusterDriver;
import io.terrace.reconciler.aws.ecs.EcsServiceDriver;
import io.terrace.reconciler.aws.ecs.EcsTaskDefinitionDriver;
import io.terrace.reconciler.aws.elasticache.ElastiCacheDriver;
import io.terrace.reconciler.aws.iam.IamRoleDriver;
import io.terrace.reconciler.aws.kms.KmsKeyDriver;
import io.terrace.reconciler.aws.logs.LogGroupDriver;
import io.terrace.reconciler.aws.network.NetworkStackDriver;
import io.terrace.reconciler.aws.opensearch.OpenSearchDriver;
import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.aws.rds.RdsEventSubscriptionDriver;
import io.terrace.reconciler.aws.rds.RdsProxyDriver;
import io.terrace.reconciler.aws.rds.RdsReadersDriver;
import io.terrace.reconciler.aws.rds.RdsWriterDriver;
import io.terrace.reconciler.aws.s3.S3BucketDriver;
import io.terrace.reconciler.aws.waf.WebAclDriver;
import io.terrace.reconciler.aws.monitoring.SnsTopicDriver;
import io.terrace.reconciler.aws.logs.MetricFilterDriver;
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
                new AcmCertificateDriver(aws),
                new MetricFilterDriver(aws),
                new KmsKeyDriver(aws),
                new RdsEventSubscriptionDriver(aws),
                new WebAclDriver(aws)
        );
    }

    /** An executor with every driver of {@code aws}'s region, on the system clock. */
    public static PlanExecutor executor(AwsClients aws) {
        return new PlanExecutor(of(aws), new EcsClusterDriver(aws), TransientFailure::isTransient);
    }
}
