package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.network.OriginPrefixList;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.backup.BackupClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * Builds the AWS SDK clients Terrace uses for one region. Credentials follow the SDK default
 * chain; an explicit endpoint ({@code --endpoint-url}) overrides the SDK's own resolution, which
 * already honours {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>}. Every client
 * shares one {@link AwsCallCounter} and the {@link #RETRY_ATTEMPTS retry policy}: throttling,
 * 5xx and network errors are retried with capped exponential backoff and full jitter, longer
 * after throttling than after other transient errors, in the SDK's adaptive mode; the operations
 * whose rate AWS documents wait for their turn first ({@link AwsRateLimits}).
 */
public final class AwsClients implements AutoCloseable {

    /**
     * Attempts per AWS call, the first included. Times the executor's step attempts, this is the
     * whole budget of one change: 3 × 2 = 6 calls at most for a throttled write (docs/aws.md).
     */
    public static final int RETRY_ATTEMPTS = 3;
    /** Backoff after a transient error: full jitter over base * 2^n, capped. */
    public static final Duration RETRY_BASE = Duration.ofMillis(200);
    public static final Duration RETRY_CAP = Duration.ofSeconds(20);
    /** Backoff after throttling starts higher: the API asked us to slow down. */
    public static final Duration THROTTLE_BASE = Duration.ofSeconds(1);
    /**
     * How long one attempt may wait for its answer before it is abandoned and retried: a call
     * AWS never answers cannot hold an environment's apply. System property
     * {@value #ATTEMPT_TIMEOUT_PROPERTY} (milliseconds) overrides it, e.g. for fault tests.
     */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    public static final String ATTEMPT_TIMEOUT_PROPERTY = "terrace.aws.attemptTimeoutMillis";

    /**
     * The one scheduler of every client's attempt timeouts, in every region. Left to itself the
     * SDK gives each client a pool of its own that grows to five threads: a daemon over three
     * regions held 213 of them. A timeout's task only aborts its call, so two threads serve all;
     * a call that ends removes its task at once. The SDK does not shut down an executor it was
     * given, and this one lives as long as the process (its threads are daemon threads).
     */
    private static final ScheduledExecutorService TIMEOUTS = timeouts();

    private static ScheduledExecutorService timeouts() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2,
                new ThreadFactoryBuilder().setNameFormat("terrace-aws-timeouts-%d").setDaemon(true).build());
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /**
     * A request plugin that turns the SDK's retries off for one call: for the few creates that
     * have neither a name nor an idempotency token (KMS CreateKey), where a retry after a lost
     * answer would make a second resource. The caller looks for what the call made instead.
     */
    public static final software.amazon.awssdk.core.SdkPlugin NO_RETRIES = config -> config.overrideConfiguration(
            config.overrideConfiguration().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());

    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCallCounter counter;

    public final CloudFormationClient cloudFormation;
    public final EcsClient ecs;
    public final RdsClient rds;
    public final ElastiCacheClient elastiCache;
    public final OpenSearchClient openSearch;
    public final S3Client s3;
    public final CloudFrontClient cloudFront;
    public final ElasticLoadBalancingV2Client elb;
    public final ApplicationAutoScalingClient autoScaling;
    /** The Resource Groups Tagging API of the region: tags of the regional resources. */
    public final ResourceGroupsTaggingApiClient tagging;
    /**
     * The tagging API in us-east-1, where CloudFront's (global) distributions are listed: the same
     * client as {@link #tagging} when the region is us-east-1.
     */
    public final ResourceGroupsTaggingApiClient cloudFrontTagging;
    /** DynamoDB of the region: the daemons' lease table ({@link LeaseTable}). */
    public final DynamoDbClient dynamoDb;
    /** EC2 of the region: the managed prefix list the load balancer admits ({@link OriginPrefixList}). */
    public final Ec2Client ec2;
    /** SNS of the region: the environments' alert topics. */
    public final SnsClient sns;
    /** CloudWatch of the region: the environments' alarms. */
    public final CloudWatchClient cloudWatch;
    /** IAM is global: the environments' roles, whatever the region. */
    public final IamClient iam;
    /** CloudWatch Logs of the region: the containers' log groups. */
    public final CloudWatchLogsClient logs;
    /** ACM of the region: the load balancer's certificates. */
    public final AcmClient acm;
    /**
     * ACM in us-east-1, the only region whose certificates CloudFront can use: the same client as
     * {@link #acm} when the region is us-east-1.
     */
    public final AcmClient cdnAcm;
    /** Secrets Manager of the region: the CDN's origin secret. */
    public final SecretsManagerClient secretsManager;
    /** KMS of the region: the environments' alert keys. */
    public final KmsClient kms;
    /** STS of the region: who Terrace runs as, named in the origin secret's resource policy. */
    public final StsClient sts;
    /**
     * WAFv2 in us-east-1, where web ACLs of scope CLOUDFRONT live, whatever the environment's
     * region.
     */
    public final Wafv2Client waf;
    /** AWS Backup of the region: the production databases' backup plans and vaults. */
    public final BackupClient backup;

    public AwsClients(Region region, Optional<URI> endpoint, AwsCallCounter counter) {
        this.region = region;
        this.endpoint = endpoint;
        this.counter = counter;
        this.cloudFormation = configure(CloudFormationClient.builder()).build();
        this.ecs = configure(EcsClient.builder()).build();
        this.rds = configure(RdsClient.builder()).build();
        this.elastiCache = configure(ElastiCacheClient.builder()).build();
        this.openSearch = configure(OpenSearchClient.builder()).build();
        // Path-style addressing: works with emulators on loopback and with every bucket name,
        // whether the endpoint is --endpoint-url or AWS_ENDPOINT_URL[_S3] (a host name made of the
        // bucket and 127.0.0.1 resolves nowhere).
        // Cross-region access: ListBuckets is global, and a bucket may live in another region.
        this.s3 = configure(S3Client.builder()).forcePathStyle(endpoint.isPresent() || endpointInEnvironment())
                .crossRegionAccessEnabled(true).build();
        // CloudFront is global: its API lives in us-east-1 whatever the environment's region.
        this.cloudFront = configure(CloudFrontClient.builder()).region(Region.AWS_GLOBAL).build();
        this.elb = configure(ElasticLoadBalancingV2Client.builder()).build();
        this.autoScaling = configure(ApplicationAutoScalingClient.builder()).build();
        this.tagging = configure(ResourceGroupsTaggingApiClient.builder()).build();
        this.cloudFrontTagging = region.equals(Region.US_EAST_1) ? tagging
                : configure(ResourceGroupsTaggingApiClient.builder()).region(Region.US_EAST_1).build();
        this.dynamoDb = configure(DynamoDbClient.builder()).build();
        this.ec2 = configure(Ec2Client.builder()).build();
        this.sns = configure(SnsClient.builder()).build();
        this.cloudWatch = configure(CloudWatchClient.builder()).build();
        this.iam = configure(IamClient.builder()).region(Region.AWS_GLOBAL).build();
        this.logs = configure(CloudWatchLogsClient.builder()).build();
        this.acm = configure(AcmClient.builder()).build();
        this.cdnAcm = region.equals(Region.US_EAST_1) ? acm
                : configure(AcmClient.builder()).region(Region.US_EAST_1).build();
        this.secretsManager = configure(SecretsManagerClient.builder()).build();
        this.kms = configure(KmsClient.builder()).build();
        this.sts = configure(StsClient.builder()).build();
        this.waf = configure(Wafv2Client.builder()).region(Region.US_EAST_1).build();
        this.backup = configure(BackupClient.builder()).build();
    }

    /**
     * The retry strategy every client uses (see the class comment and docs/aws.md): adaptive, so
     * a throttled client slows its own sending rate, with the retry circuit breaker on, so a
     * burst of failures stops retrying instead of multiplying the calls an API already refuses.
     */
    public static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .maxAttempts(RETRY_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(RETRY_BASE, RETRY_CAP))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(THROTTLE_BASE, RETRY_CAP))
                .build();
    }

    /** {@link #ATTEMPT_TIMEOUT}, or the system property's value when set. */
    public static Duration attemptTimeout() {
        Long millis = Long.getLong(ATTEMPT_TIMEOUT_PROPERTY);
        return millis == null ? ATTEMPT_TIMEOUT : Duration.ofMillis(millis);
    }

    public Region region() {
        return region;
    }

    public AwsCallCounter counter() {
        return counter;
    }

    /** Whether the environment sends S3 calls to an endpoint of its own, as the SDK reads it. */
    private static boolean endpointInEnvironment() {
        return java.util.stream.Stream.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
                .map(System::getenv).anyMatch(v -> v != null && !v.isBlank());
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(AwsRateLimits.configured())
                        .addExecutionInterceptor(counter)
                        .retryStrategy(retryStrategy())
                        .apiCallAttemptTimeout(attemptTimeout())
                        .scheduledExecutorService(TIMEOUTS)
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    @Override
    public void close() {
        cloudFormation.close();
        ecs.close();
        rds.close();
        elastiCache.close();
        openSearch.close();
        s3.close();
        cloudFront.close();
        elb.close();
        autoScaling.close();
        tagging.close();
        dynamoDb.close();
        ec2.close();
        sns.close();
        cloudWatch.close();
        iam.close();
        logs.close();
        if (cloudFrontTagging != tagging) {
            cloudFrontTagging.close();
        }
        acm.close();
        if (cdnAcm != acm) {
            cdnAcm.close();
        }
        secretsManager.close();
        kms.close();
        sts.close();
        waf.close();
        backup.close();
    }
}
