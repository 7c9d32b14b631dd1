package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.TerraceTags;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
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

    /** Deletes the secret at once: the environment it guarded is gone. */
    public static void delete(SecretsManagerClient sm, String env) {
        try {
            sm.deleteSecret(r -> r.secretId(name(env)).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException e) {
            // already gone
        }
    }
}
