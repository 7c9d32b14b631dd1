package io.terrace.reconciler.aws.kms;

import io.terrace.planner.Address;
import io.terrace.planner.AlertKey;
import io.terrace.planner.AttributeKeys.KmsKey;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.TaggingSweep;
import io.terrace.reconciler.aws.TerraceTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * An alert key as Terrace reads it: DescribeKey (state, ARN), GetKeyPolicy, GetKeyRotationStatus
 * and ListResourceTags, the policy read back in the desired form ({@link AlertKey#withoutAccount}).
 */
public final class KmsKeys {

    /** The one policy name KMS knows. */
    static final String POLICY_NAME = "default";

    private KmsKeys() {}

    public static String address(String env) {
        return Address.of(env, Component.MONITORING, "alerts-key");
    }

    /** The account id in a key's ARN ({@code arn:aws:kms:<region>:<account>:key/<id>}). */
    static String account(String keyArn) {
        String[] parts = keyArn.split(":");
        return parts.length > 4 ? parts[4] : "";
    }

    /** The key by id, ARN or alias name; empty when there is no such key or alias. */
    static Optional<KeyMetadata> describe(KmsClient kms, String key) {
        try {
            return Optional.of(kms.describeKey(r -> r.keyId(key)).keyMetadata());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The key read in full under {@code key} (its id or alias), as observed. */
    static Optional<ObservedResource> read(KmsClient kms, String env, String key) {
        return describe(kms, key).map(m -> observed(kms, env, m));
    }

    /**
     * A key an interrupted create left without its alias (a kill between {@code CreateKey} and
     * {@code CreateAlias}): the customer key whose description Terrace gave it for {@code address},
     * not pending deletion. The candidates are the environment's keys in the tagging API
     * (GetResources filtered by type {@code kms:key} and the environment's tag, which CreateKey
     * sets), one {@code DescribeKey} each: a handful whatever the number of keys in the region.
     * Asked only when the alias is missing, before a create.
     */
    static Optional<KeyMetadata> orphan(KmsClient kms, ResourceGroupsTaggingApiClient tagging, String address) {
        return orphanAmong(kms, address, TaggingSweep.ofEnvironment(tagging, List.of("kms:key"),
                Addresses.environment(address)).keySet().stream());
    }

    /**
     * The same among every key of the region ({@code ListKeys}, one {@code DescribeKey} each):
     * for a key CreateKey may have made moments ago, which the tagging API may not list yet.
     */
    static Optional<KeyMetadata> orphanInRegion(KmsClient kms, String address) {
        return orphanAmong(kms, address, kms.listKeysPaginator(r -> { }).keys().stream().map(k -> k.keyId()));
    }

    private static Optional<KeyMetadata> orphanAmong(KmsClient kms, String address, Stream<String> keys) {
        String description = description(address);
        return keys
                .map(k -> describe(kms, k))
                .flatMap(Optional::stream)
                .filter(m -> description.equals(m.description()) && m.keyManager() == KeyManagerType.CUSTOMER
                        && m.keyState() != KeyState.PENDING_DELETION && m.keyState() != KeyState.PENDING_REPLICA_DELETION)
                .findFirst();
    }

    /** The description Terrace gives the key of {@code address}. */
    static String description(String address) {
        return "Terrace " + address;
    }

    /** A described key with its policy, rotation and tags. */
    static ObservedResource observed(KmsClient kms, String env, KeyMetadata key) {
        return observed(kms, env, key, null);
    }

    /**
     * A described key with its policy and rotation, and {@code tags} when the tagging sweep
     * returned them, else its tags from ListResourceTags.
     */
    static ObservedResource observed(KmsClient kms, String env, KeyMetadata key, Map<String, String> swept) {
        String policy;
        boolean rotation;
        try {
            policy = kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName(POLICY_NAME)).policy();
        } catch (KmsInvalidStateException e) {
            policy = "";
        }
        try {
            rotation = Boolean.TRUE.equals(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled());
        } catch (KmsInvalidStateException e) {
            rotation = false;
        }
        Map<String, String> tags = swept != null ? swept : TerraceTags.fromSdk(
                kms.listResourceTagsPaginator(r -> r.keyId(key.keyId())).tags().stream().toList(),
                Tag::tagKey, Tag::tagValue);
        return observed(env, key, policy == null ? "" : policy, rotation, tags);
    }

    static ObservedResource observed(String env, KeyMetadata key, String policy, boolean rotation,
            Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(KmsKey.POLICY, policy.isBlank() ? "" : AlertKey.withoutAccount(policy, account(key.arn())));
        a.put(KmsKey.ROTATION, rotation);
        a.put(KmsKey.ENABLED, key.keyState() == KeyState.ENABLED);
        a.put("arn", key.arn());
        a.put("keyState", key.keyStateAsString());
        a.put("alias", io.terrace.planner.ResourceNames.alertKeyAlias(env));
        return new ObservedResource(address(env), ResourceType.KMS_KEY, key.keyId(), a, tags);
    }

    /**
     * A key whose policy, rotation and state wait for their first read
     * ({@link io.terrace.reconciler.aws.DetailReads#waiting}): its id, ARN, alias and tags, as the
     * alias list and the tagging sweep gave them.
     */
    static ObservedResource unread(String env, String keyId, String arn, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("arn", arn);
        a.put("alias", io.terrace.planner.ResourceNames.alertKeyAlias(env));
        return new ObservedResource(address(env), ResourceType.KMS_KEY, keyId, a, tags).withDetailsUnread(List.of());
    }

    static List<Tag> toTags(Map<String, String> tags) {
        return TerraceTags.toSdk(tags, (k, v) -> Tag.builder().tagKey(k).tagValue(v).build());
    }
}
