package io.terrace.reconciler.aws.s3;

import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeKeys.S3Bucket;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;

/**
 * The assets bucket as Terrace reads it: three detail reads (versioning, default encryption,
 * public access block) and its tags, which the caller usually has from a tagging sweep.
 */
public final class Buckets {

    private Buckets() {}

    public static ObservedResource read(AwsClients aws, String address, String bucket, Map<String, String> tags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        var versioning = aws.s3.getBucketVersioning(r -> r.bucket(bucket));
        attributes.put(S3Bucket.VERSIONING, versioning.status() == BucketVersioningStatus.ENABLED);
        attributes.put("versioningStatus", versioning.statusAsString() == null ? "Unversioned" : versioning.statusAsString());
        attributes.put(S3Bucket.ENCRYPTION, encryption(aws, bucket));
        attributes.put(S3Bucket.PUBLIC_ACCESS_BLOCKED, publicAccessBlocked(aws, bucket));
        return new ObservedResource(address, ResourceType.S3_BUCKET, bucket, attributes, tags);
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

    private static String encryption(AwsClients aws, String bucket) {
        try {
            return aws.s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().stream()
                    .map(rule -> rule.applyServerSideEncryptionByDefault())
                    .filter(d -> d != null)
                    .map(ServerSideEncryptionByDefault::sseAlgorithmAsString)
                    .findFirst().orElse("none");
        } catch (S3Exception e) {
            if ("ServerSideEncryptionConfigurationNotFoundError".equals(code(e))) {
                return "none";
            }
            throw e;
        }
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
