package io.terrace.reconciler.aws;

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
        return List.of(
                new NetworkStackObserver(aws),
                new EcsObserver(aws, taskDefinitions),
                new AutoscalingObserver(aws),
                new S3Observer(aws),
                new RdsObserver(aws),
                new ElastiCacheObserver(aws),
                new OpenSearchObserver(aws),
                new CloudFrontObserver(aws),
                new SnsObserver(aws),
                new CloudWatchObserver(aws),
                new IamObserver(aws),
                new LogsObserver(aws),
                new CertificateObserver(aws)
        );
    }
}
