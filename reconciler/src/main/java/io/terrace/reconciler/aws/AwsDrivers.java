package io.terrace.reconciler.aws;

import io.terrace.reconciler.engine.ResourceDriver;

import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.RevisionStamp;
import java.util.List;

/**
 * The one place that lists Terrace's AWS drivers and observers. Supporting a new kind of
 * resource is one line in {@link #drivers()} and one in {@link #observers}.
 */
public final class AwsDrivers {

    private AwsDrivers() {}

    /** One driver per {@link io.terrace.planner.ResourceType}. Drivers hold no state. */
    public static List<ResourceDriver> drivers() {
        return List.of(
                new NetworkStackDriver(),
                new EcsClusterDriver(),
                new EcsTaskDefinitionDriver(),
                new EcsServiceDriver(),
                new AutoscalingTargetDriver(),
                new S3BucketDriver(),
                new RdsClusterDriver(),
                new RdsWriterDriver(),
                new RdsReadersDriver(),
                new RdsProxyDriver(),
                new ElastiCacheDriver(),
                new OpenSearchDriver(),
                new CloudFrontDriver()
        );
    }

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
                new CloudFrontObserver(aws)
        );
    }

    /** Records an environment's applied revision on its ECS cluster. */
    public static RevisionStamp revisionStamp() {
        return new EcsClusterDriver();
    }

    /** An executor with every driver, on the system clock. */
    public static PlanExecutor executor(AwsClients aws) {
        return new PlanExecutor(drivers(), revisionStamp(), aws);
    }
}
