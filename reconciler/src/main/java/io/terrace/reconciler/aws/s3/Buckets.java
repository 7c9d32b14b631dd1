package io.terrace.reconciler.aws.s3;

import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeKeys.S3Bucket;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;

/**
 * The assets bucket as Terrace reads it: six detail reads (versioning, default encryption,
 * public access block, bucket policy, ownership controls, server access logging) and its tags, which the caller usually
 * has from a tagging sweep. Terrace owns the bucket policy whole: it is exactly one statement
 * denying every S3 action over plain HTTP ({@code aws:SecureTransport} false), observed as
 * {@code tls-only}, {@code none} when the bucket has no policy, or {@code changed} when it has
 * any other (which the next apply overwrites).
 */
public final class Buckets {

    public static final String POLICY_NONE = "none";
    public static final String POLICY_CHANGED = "changed";
    public static final String OWNERSHIP_NONE = "none";
    static final String TLS_ONLY_SID = "DenyInsecureTransport";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Buckets() {}

    public static ObservedResource read(AwsClients aws, String address, String bucket, Map<String, String> tags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        var versioning = aws.s3.getBucketVersioning(r -> r.bucket(bucket));
        attributes.put(S3Bucket.VERSIONING, versioning.status() == BucketVersioningStatus.ENABLED);
        attributes.put("versioningStatus", versioning.statusAsString() == null ? "Unversioned" : versioning.statusAsString());
        attributes.putAll(encryption(aws, bucket));
        attributes.put(S3Bucket.PUBLIC_ACCESS_BLOCKED, publicAccessBlocked(aws, bucket));
        attributes.put(S3Bucket.SECURE_TRANSPORT_POLICY, secureTransportPolicy(aws, bucket));
        attributes.put(S3Bucket.OBJECT_OWNERSHIP, objectOwnership(aws, bucket));
        attributes.put(S3Bucket.ACCESS_LOGS, accessLogs(aws, bucket));
        return new ObservedResource(address, ResourceType.S3_BUCKET, bucket, attributes, tags);
    }

    /** A bucket whose settings wait for their first read ({@link io.terrace.reconciler.aws.DetailReads#waiting}): its name and tags. */
    public static ObservedResource unread(String address, String bucket, Map<String, String> tags) {
        return new ObservedResource(address, ResourceType.S3_BUCKET, bucket, Map.of(), tags).withDetailsUnread(List.of());
    }

    public static Map<String, String> tags(AwsClients aws, String bucket) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            aws.s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().forEach(t -> out.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (!"NoSuchTagSet".equals(code(e))) {
                throw e;
            }
        }
        return out;
    }

    public static boolean exists(AwsClients aws, String bucket) {
        try {
            aws.s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static PublicAccessBlockConfiguration blockAll() {
        return PublicAccessBlockConfiguration.builder()
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)
                .build();
    }

    /** Terrace's whole bucket policy: deny {@code s3:*} on the bucket and its objects without TLS. */
    static String tlsOnlyPolicy(AwsClients aws, String bucket) {
        String arn = "arn:" + partition(aws) + ":s3:::" + bucket;
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + TLS_ONLY_SID + "\",\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"" + arn + "\",\"" + arn + "/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}";
    }

    /** Server access logging: the prefix in a Terrace log bucket of the region, {@code off}, or elsewhere. */
    private static String accessLogs(AwsClients aws, String bucket) {
        var enabled = aws.s3.getBucketLogging(r -> r.bucket(bucket)).loggingEnabled();
        return enabled == null ? LogBucket.destination(false, null, null, aws.region())
                : LogBucket.destination(true, enabled.targetBucket(), enabled.targetPrefix(), aws.region());
    }

    /** Logs the bucket's requests to the region's log bucket (made first) under {@code <env>/s3/}. */
    static void putAccessLogs(AwsClients aws, String bucket, String prefix) {
        String account = aws.sts.getCallerIdentity().account();
        String logs = LogBucket.ensure(aws, account, partition(aws));
        aws.s3.putBucketLogging(r -> r.bucket(bucket).bucketLoggingStatus(l -> l.loggingEnabled(
                e -> e.targetBucket(logs).targetPrefix(prefix))));
    }

    static String partition(AwsClients aws) {
        var metadata = aws.region().metadata();
        return metadata == null ? "aws" : metadata.partition().id();
    }

    private static String secureTransportPolicy(AwsClients aws, String bucket) {
        String live;
        try {
            live = aws.s3.getBucketPolicy(r -> r.bucket(bucket)).policy();
        } catch (S3Exception e) {
            if ("NoSuchBucketPolicy".equals(code(e))) {
                return POLICY_NONE;
            }
            throw e;
        }
        try {
            return JSON.readTree(live).equals(JSON.readTree(tlsOnlyPolicy(aws, bucket))) ? S3Bucket.TLS_ONLY : POLICY_CHANGED;
        } catch (JsonProcessingException e) {
            return POLICY_CHANGED;
        }
    }

    private static String objectOwnership(AwsClients aws, String bucket) {
        try {
            var rules = aws.s3.getBucketOwnershipControls(r -> r.bucket(bucket)).ownershipControls().rules();
            return rules.isEmpty() ? OWNERSHIP_NONE : rules.get(0).objectOwnershipAsString();
        } catch (S3Exception e) {
            if ("OwnershipControlsNotFoundError".equals(code(e))) {
                return OWNERSHIP_NONE;
            }
            throw e;
        }
    }

    static void putTlsOnlyPolicy(AwsClients aws, String bucket) {
        String policy = tlsOnlyPolicy(aws, bucket);
        aws.s3.putBucketPolicy(r -> r.bucket(bucket).policy(policy));
    }

    static void putOwnerEnforced(AwsClients aws, String bucket) {
        aws.s3.putBucketOwnershipControls(r -> r.bucket(bucket).ownershipControls(c -> c.rules(
                o -> o.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
    }

    /**
     * The default encryption's algorithm ({@code none} without one), its KMS key
     * ({@link S3Bucket#NO_KEY} without one) and whether S3 Bucket Keys are on, from the first
     * rule that sets a default.
     */
    private static Map<String, Object> encryption(AwsClients aws, String bucket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(S3Bucket.ENCRYPTION, "none");
        out.put(S3Bucket.ENCRYPTION_KEY, S3Bucket.NO_KEY);
        out.put(S3Bucket.BUCKET_KEY, false);
        try {
            aws.s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().stream()
                    .filter(rule -> rule.applyServerSideEncryptionByDefault() != null)
                    .findFirst()
                    .ifPresent(rule -> {
                        ServerSideEncryptionByDefault d = rule.applyServerSideEncryptionByDefault();
                        out.put(S3Bucket.ENCRYPTION, d.sseAlgorithmAsString());
                        out.put(S3Bucket.ENCRYPTION_KEY, d.kmsMasterKeyID() == null ? S3Bucket.NO_KEY : d.kmsMasterKeyID());
                        out.put(S3Bucket.BUCKET_KEY, Boolean.TRUE.equals(rule.bucketKeyEnabled()));
                    });
        } catch (S3Exception e) {
            if (!"ServerSideEncryptionConfigurationNotFoundError".equals(code(e))) {
                throw e;
            }
        }
        return out;
    }

    private static boolean publicAccessBlocked(AwsClients aws, String bucket) {
        try {
            GetPublicAccessBlockResponse r = aws.s3.getPublicAccessBlock(b -> b.bucket(bucket));
            var c = r.publicAccessBlockConfiguration();
            return Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                    && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets());
        } catch (S3Exception e) {
            if ("NoSuchPublicAccessBlockConfiguration".equals(code(e))) {
                return false;
            }
            throw e;
        }
    }

    static String code(S3Exception e) {
        return Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorCode()).orElse("");
    }
}
