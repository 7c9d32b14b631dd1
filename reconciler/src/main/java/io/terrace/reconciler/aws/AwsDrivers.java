package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.acm.CertificateObserver;
import io.terrace.reconciler.aws.autoscaling.AutoscalingObserver;
import io.terrace.reconciler.aws.backup.BackupObserver;
import io.terrace.reconciler.aws.cloudfront.CloudFrontObserver;
import io.terrace.reconciler.aws.ecs.EcsObserver;
import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;
import io.terrace.reconciler.aws.elasticache.ElastiCacheObserver;
import io.terrace.reconciler.aws.iam.IamObserver;
import io.terrace.reconciler.aws.kms.KmsObserver;
import io.terrace.reconciler.aws.logs.LogsObserver;
import io.terrace.reconciler.aws.monitoring.CloudWatchObserver;
import io.terrace.reconciler.aws.monitoring.SnsObserver;
import io.terrace.reconciler.aws.network.NetworkStackObserver;
import io.terrace.reconciler.aws.opensearch.OpenSearchObserver;
import io.terrace.reconciler.aws.rds.RdsEventSubscriptionObserver;
import io.terrace.reconciler.aws.rds.RdsObserver;
import io.terrace.reconciler.aws.s3.S3Observer;
import io.terrace.reconciler.aws.waf.WafObserver;

import java.util.List;

/**
 * The one list of Terrace's AWS observers, one per service read. The drivers are listed where
 * the application is assembled ({@code io.terrace.reconciler.wiring.Drivers}).
 */
public final class AwsDrivers {

    private AwsDrivers() {}

    /**
     * The observers of one region, task definitions read through {@code taskDefinitions}: build
     * them once per long-lived {@link AwsObserver}.
     */
    public static List<ServiceObserver> observers(AwsClients aws, TaskDefinitionCache taskDefinitions) {
        return observers(aws, taskDefinitions, DetailReads.always());
    }

    /** The same, keeping the detail reads of observes in {@code details}. */
    public static List<ServiceObserver> observers(AwsClients aws, TaskDefinitionCache taskDefinitions,
                                                  DetailReads details) {
        return List.of(
                new NetworkStackObserver(aws, details),
                new EcsObserver(aws, taskDefinitions),
                new AutoscalingObserver(aws),
                new S3Observer(aws, details),
                new RdsObserver(aws, details),
                new ElastiCacheObserver(aws),
                new OpenSearchObserver(aws),
                new CloudFrontObserver(aws),
                new SnsObserver(aws, details),
                new CloudWatchObserver(aws),
                new IamObserver(aws),
                new LogsObserver(aws),
                new CertificateObserver(aws, details),
                new KmsObserver(aws, details),
                new RdsEventSubscriptionObserver(aws),
                new WafObserver(aws),
                new BackupObserver(aws)
        );
    }
}
