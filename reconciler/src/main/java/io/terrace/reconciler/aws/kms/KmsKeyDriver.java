package io.terrace.reconciler.aws.kms;

import io.terrace.planner.AlertKey;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.KmsKey;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TransientFailure;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The environment's alert key: a symmetric customer managed key found by its alias
 * ({@link ResourceNames#alertKeyAlias}), with rotation on and the policy of {@link AlertKey}. A
 * create makes the key with KMS's default policy, which names the account, and the alias at once
 * (a lost CreateKey answer: {@link #createKey}); it reads the account id from the new key's ARN
 * and puts Terrace's policy with it, then turns rotation on. A
 * policy changed by hand is put back whole. A key found pending deletion or disabled under the
 * alias is brought back (CancelKeyDeletion, EnableKey). A delete schedules the key's deletion
 * after {@value AlertKey#DELETION_WINDOW_DAYS} days and deletes the alias, so an environment
 * created again under the same name gets a new key.
 */
public record KmsKeyDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.KMS_KEY;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return KmsKeys.read(aws.kms, desired.environment(), desired.name())
                .or(() -> KmsKeys.orphan(aws.kms, aws.tagging, desired.address())
                        .map(key -> KmsKeys.observed(aws.kms, desired.environment(), key)))
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        KmsClient kms = aws.kms;
        KeyMetadata key = createKey(desired);
        // The alias at once: a create interrupted after it leaves a key the next read finds.
        try {
            kms.createAlias(r -> r.aliasName(desired.name()).targetKeyId(key.keyId()));
        } catch (RuntimeException e) {
            // Its answer lost, the alias may point to the key all the same; else the key would be
            // orphaned (no alias finds it) and goes, the next attempt making another.
            boolean aliased = KmsKeys.describe(kms, desired.name()).map(k -> k.keyId().equals(key.keyId())).orElse(false);
            if (!aliased) {
                kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(AlertKey.DELETION_WINDOW_DAYS));
                throw e;
            }
        }
        putPolicy(key, desired);
        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        return reread(desired);
    }

    /**
     * CreateKey has no name nor idempotency token: a retry after a lost answer would make a second
     * key. So it is sent once, without the SDK's retries; after a transient failure the key it
     * may have made is looked for by its description ("Terrace" and the address) among the
     * region's enabled keys (all of them: the tagging API may not list a key made a moment ago),
     * and adopted; when there is none the failure stands and the step's retry
     * sends it again.
     */
    private KeyMetadata createKey(Resource desired) {
        KmsClient kms = aws.kms;
        try {
            return kms.createKey(r -> r.description(KmsKeys.description(desired.address()))
                    .keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT)
                    .tags(KmsKeys.toTags(desired.tags()))
                    .overrideConfiguration(o -> o.addPlugin(AwsClients.NO_RETRIES))).keyMetadata();
        } catch (SdkException e) {
            if (!TransientFailure.isTransient(e)) {
                throw e;
            }
            return KmsKeys.orphanInRegion(kms, desired.address()).orElseThrow(() -> e);
        }
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        KmsClient kms = aws.kms;
        KeyMetadata key = KmsKeys.describe(kms, live.id()).orElseThrow(() -> new IllegalStateException(
                live.address() + ": KMS key " + live.id() + " has disappeared"));
        if (key.keyState() == KeyState.PENDING_DELETION) {
            kms.cancelKeyDeletion(r -> r.keyId(key.keyId()));
        }
        if (KmsKeys.describe(kms, desired.name()).isEmpty()) {
            // A create cut before its alias: the key found by its description gets it now.
            kms.createAlias(r -> r.aliasName(desired.name()).targetKeyId(key.keyId()));
        }
        if (key.keyState() != KeyState.ENABLED) {
            kms.enableKey(r -> r.keyId(key.keyId()));
        }
        if (!Objects.equals(desired.attributes().get(KmsKey.POLICY), live.attributes().get(KmsKey.POLICY))) {
            putPolicy(key, desired);
        }
        if (!Boolean.TRUE.equals(live.attributes().get(KmsKey.ROTATION)) || key.keyState() != KeyState.ENABLED) {
            // Rotation reads false while a key is pending deletion; it is on again once cancelled.
            kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        }
        TagSync.between(live.tags(), desired.tags()).send(
                set -> kms.tagResource(r -> r.keyId(key.keyId()).tags(KmsKeys.toTags(set))),
                keys -> kms.untagResource(r -> r.keyId(key.keyId()).tagKeys(keys)));
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        KmsClient kms = aws.kms;
        try {
            kms.scheduleKeyDeletion(r -> r.keyId(live.id()).pendingWindowInDays(AlertKey.DELETION_WINDOW_DAYS));
        } catch (KmsInvalidStateException | NotFoundException e) {
            // Already pending deletion, or gone: what the delete wanted.
        }
        String alias = ResourceNames.alertKeyAlias(Addresses.environment(live.address()));
        try {
            kms.deleteAlias(r -> r.aliasName(alias));
        } catch (NotFoundException e) {
            // Already gone.
        }
    }

    @Override
    public String describe(ObservedResource live) {
        return "KMS key " + live.id() + " (" + live.attributes().get("alias") + ")";
    }

    private void putPolicy(KeyMetadata key, Resource desired) {
        String policy = AlertKey.withAccount(String.valueOf(desired.attributes().get(KmsKey.POLICY)),
                KmsKeys.account(key.arn()));
        aws.kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName(KmsKeys.POLICY_NAME).policy(policy));
    }

    private ObservedResource reread(Resource desired) {
        return KmsKeys.read(aws.kms, desired.environment(), desired.name()).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": KMS key " + desired.name() + " is not readable after being written"));
    }
}
