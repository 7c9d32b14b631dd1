package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.TerraceTags;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * The value CloudFront sends the load balancer in {@link #HEADER}, which the load balancer's
 * listener rules require: kept in Secrets Manager as {@code terrace/<env>/origin-verify}, written
 * by the network stack's first create and by {@code terrace rotate-origin-secret}. The value
 * travels only as a NoEcho stack parameter and a CloudFront origin header; no plan, observed
 * attribute or log line carries it.
 */
public final class OriginSecrets {

    /** The origin custom header. */
    public static final String HEADER = "X-Origin-Verify";
    private static final SecureRandom RANDOM = new SecureRandom();

    private OriginSecrets() {}

    public static String name(String env) {
        return "terrace/" + env + "/origin-verify";
    }

    /** A new random value: 48 URL-safe characters (288 bits). */
    public static String newValue() {
        byte[] bytes = new byte[36];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The current value, absent when the secret does not exist (or is scheduled for deletion). */
    public static Optional<String> current(SecretsManagerClient sm, String env) {
        try {
            return Optional.ofNullable(sm.getSecretValue(r -> r.secretId(name(env))).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException e) {
            return Optional.empty();
        }
    }

    /** The current value, created first with Terrace's tags when there is none. */
    public static String ensure(SecretsManagerClient sm, String env, Map<String, String> tags) {
        return current(sm, env).orElseGet(() -> {
            String value = newValue();
            sm.createSecret(r -> r.name(name(env)).secretString(value)
                    .description("Terrace: the " + HEADER + " value CloudFront sends the load balancer of " + env)
                    .tags(TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build())));
            return value;
        });
    }

    /** Makes {@code value} the current one (the last becomes {@code AWSPREVIOUS}). */
    public static void put(SecretsManagerClient sm, String env, String value) {
        sm.putSecretValue(r -> r.secretId(name(env)).secretString(value));
    }

    /**
     * The tag a rotation puts on the secret before its first step and takes off after its last:
     * still there, the rotation was interrupted and the next run finishes it.
     */
    public static final String ROTATING_TAG = "terrace:rotation";

    /** One {@code DescribeSecret}; empty when the secret does not exist or is scheduled for deletion. */
    public static Optional<DescribeSecretResponse> describe(SecretsManagerClient sm, String env) {
        try {
            DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(name(env)));
            return d.deletedDate() == null ? Optional.of(d) : Optional.empty();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** When the secret last changed, and whether a rotation of it did not finish. */
    public static Instant changed(DescribeSecretResponse d) {
        return Optional.ofNullable(d.lastChangedDate()).or(() -> Optional.ofNullable(d.lastRotatedDate()))
                .or(() -> Optional.ofNullable(d.createdDate())).orElse(Instant.EPOCH);
    }

    public static boolean rotating(DescribeSecretResponse d) {
        return d.hasTags() && d.tags().stream().anyMatch(t -> ROTATING_TAG.equals(t.key()));
    }

    /** Marks a rotation as started ({@link #ROTATING_TAG}). */
    public static void markRotating(SecretsManagerClient sm, String env) {
        sm.tagResource(r -> r.secretId(name(env)).tags(Tag.builder().key(ROTATING_TAG).value("in-progress").build()));
    }

    /** Marks a rotation as finished. */
    public static void markRotated(SecretsManagerClient sm, String env) {
        sm.untagResource(r -> r.secretId(name(env)).tagKeys(ROTATING_TAG));
    }

    /** Deletes the secret at once: the environment it guarded is gone. */
    public static void delete(SecretsManagerClient sm, String env) {
        try {
            sm.deleteSecret(r -> r.secretId(name(env)).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException e) {
            // already gone
        }
    }
}
