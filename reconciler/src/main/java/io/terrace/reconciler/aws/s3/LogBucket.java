package io.terrace.reconciler.aws.s3;

import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.ResourceNames;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * The log bucket of an account in a region, {@code terrace-logs-<account>-<region>}: the load
 * balancers' access logs ({@code <env>/alb/AWSLogs/<account>/...}) and the assets buckets'
 * server access logs ({@code <env>/s3/...}) of every environment there. Like the region's
 * CloudWatch Logs resource policy it is shared, made by the first environment that needs it, put
 * back in shape by every apply that sets a log destination, and never deleted by Terrace
 * (a decommissioned environment's logs expire with the lifecycle rule). It has every public
 * access blocked, SSE-S3 encryption (the only kind ELB log delivery supports), ACLs disabled, a
 * lifecycle rule expiring objects after {@link #EXPIRY_DAYS} days, and a bucket policy Terrace owns
 * whole: TLS only, and the log deliveries' writes.
 */
public final class LogBucket {

    /** Days a log object is kept. */
    public static final int EXPIRY_DAYS = 90;
    static final String LIFECYCLE_RULE = "terrace-expire-logs";

    /**
     * The account Elastic Load Balancing writes access logs from in the regions that existed
     * before August 2022; newer regions use the service principal
     * {@code logdelivery.elasticloadbalancing.amazonaws.com}, which the policy always names too.
     */
    static final Map<String, String> ELB_ACCOUNTS = Map.ofEntries(
            Map.entry("us-east-1", "127311923021"), Map.entry("us-east-2", "033677994240"),
            Map.entry("us-west-1", "027434742980"), Map.entry("us-west-2", "797873946194"),
            Map.entry("af-south-1", "098369216593"), Map.entry("ca-central-1", "985666609251"),
            Map.entry("eu-central-1", "054676820928"), Map.entry("eu-west-1", "156460612806"),
            Map.entry("eu-west-2", "652711504416"), Map.entry("eu-south-1", "635631232127"),
            Map.entry("eu-west-3", "009996457667"), Map.entry("eu-north-1", "897822967062"),
            Map.entry("ap-east-1", "754344448648"), Map.entry("ap-northeast-1", "582318560864"),
            Map.entry("ap-northeast-2", "600734575887"), Map.entry("ap-northeast-3", "383597477331"),
            Map.entry("ap-southeast-1", "114774131450"), Map.entry("ap-southeast-2", "783225319266"),
            Map.entry("ap-southeast-3", "589379963580"), Map.entry("ap-south-1", "718504428378"),
            Map.entry("me-south-1", "076674570225"), Map.entry("sa-east-1", "507241528517"),
            Map.entry("us-gov-west-1", "048591011584"), Map.entry("us-gov-east-1", "190560391635"));

    private LogBucket() {}

    public static String name(String account, Region region) {
        return ResourceNames.logBucket(account, region.id());
    }

    /** Whether a bucket name is a Terrace log bucket of the region (any account's name has 12 digits). */
    public static boolean isLogBucket(String bucket, Region region) {
        return bucket != null
                && Pattern.matches("terrace-logs-\\d{12}-" + Pattern.quote(region.id()), bucket);
    }

    /**
     * An observed log destination: the prefix when it is a Terrace log bucket of the region,
     * {@code elsewhere:<bucket>/<prefix>} when another bucket, {@code off} when logging is off.
     */
    public static String destination(boolean enabled, String bucket, String prefix, Region region) {
        if (!enabled || bucket == null || bucket.isEmpty()) {
            return NetworkStack.ACCESS_LOGS_OFF;
        }
        String p = prefix == null ? "" : prefix;
        return isLogBucket(bucket, region) ? p : "elsewhere:" + bucket + "/" + p;
    }

    /**
     * Makes the log bucket exist in its shape (idempotent: each put sets the whole
     * configuration) and returns its name.
     */
    public static String ensure(AwsClients aws, String account, String partition) {
        String bucket = name(account, aws.region());
        if (!Buckets.exists(aws, bucket)) {
            try {
                aws.s3.createBucket(r -> {
                    r.bucket(bucket);
                    if (!aws.region().equals(Region.US_EAST_1)) {
                        r.createBucketConfiguration(c -> c.locationConstraint(aws.region().id()));
                    }
                });
            } catch (S3Exception e) {
                // Another environment's apply made it at the same time.
                if (!"BucketAlreadyOwnedByYou".equals(Buckets.code(e))) {
                    throw e;
                }
            }
        }
        aws.s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(Buckets.blockAll()));
        aws.s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                ServerSideEncryptionRule.builder()
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                        .build())));
        Buckets.putOwnerEnforced(aws, bucket);
        aws.s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(
                BucketLifecycleConfiguration.builder().rules(LifecycleRule.builder()
                        .id(LIFECYCLE_RULE)
                        .status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(""))
                        .expiration(x -> x.days(EXPIRY_DAYS))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
                        .build()).build()));
        String policy = policy(bucket, account, partition, aws.region().id());
        aws.s3.putBucketPolicy(r -> r.bucket(bucket).policy(policy));
        return bucket;
    }

    /**
     * TLS only; the load balancers' log delivery (service principal, and the region's ELB account
     * where it has one) may put objects under {@code AWSLogs/<account>/} of any prefix; S3's log
     * delivery may put objects for buckets of this account.
     */
    static String policy(String bucket, String account, String partition, String region) {
        String arn = "arn:" + partition + ":s3:::" + bucket;
        String elbObjects = arn + "/*/AWSLogs/" + account + "/*";
        StringBuilder s = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        // {"AWS":"*"} means every principal, as "*" does; the emulator's check of the S3 log
        // delivery statement cannot read a string principal beside it.
        s.append("{\"Sid\":\"").append(Buckets.TLS_ONLY_SID).append("\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},")
                .append("\"Action\":\"s3:*\",\"Resource\":[\"").append(arn).append("\",\"").append(arn)
                .append("/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},");
        s.append("{\"Sid\":\"LoadBalancerAccessLogs\",\"Effect\":\"Allow\",")
                .append("\"Principal\":{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"},")
                .append("\"Action\":\"s3:PutObject\",\"Resource\":\"").append(elbObjects).append("\"},");
        String elbAccount = ELB_ACCOUNTS.get(region);
        if (elbAccount != null) {
            s.append("{\"Sid\":\"LoadBalancerAccessLogsRegionalAccount\",\"Effect\":\"Allow\",")
                    .append("\"Principal\":{\"AWS\":\"arn:").append(partition).append(":iam::").append(elbAccount)
                    .append(":root\"},\"Action\":\"s3:PutObject\",\"Resource\":\"").append(elbObjects).append("\"},");
        }
        s.append("{\"Sid\":\"S3ServerAccessLogs\",\"Effect\":\"Allow\",")
                .append("\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},")
                .append("\"Action\":\"s3:PutObject\",\"Resource\":\"").append(arn).append("/*\",")
                .append("\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"").append(account).append("\"}}}");
        return s.append("]}").toString();
    }
}
