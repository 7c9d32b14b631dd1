package io.terrace.reconciler.aws.kms;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Observes the alert keys of many environments: ListAliases page by page (account-wide, up to
 * {@value #ALIASES_PER_PAGE} a page) finds each environment's alias and the key it points to (for a
 * {@linkplain ServiceObserver#FEW few} environments, DescribeKey of each one's alias does);
 * then, per key found, DescribeKey, GetKeyPolicy, GetKeyRotationStatus and ListResourceTags,
 * which KMS has no batch form of. A key whose alias is gone (deleted with the environment, its
 * deletion scheduled) is not looked at.
 */
public final class KmsObserver implements ServiceObserver {

    static final int ALIASES_PER_PAGE = 100;

    private final AwsClients aws;
    private final DetailReads details;

    public KmsObserver(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where the detail reads are kept between observes */
    public KmsObserver(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        if (environments.isEmpty()) {
            return List.of();
        }
        Map<String, String> envByAlias = new HashMap<>();
        environments.forEach(env -> envByAlias.put(ResourceNames.alertKeyAlias(env), env));
        Map<String, String> envByKey = new HashMap<>();
        Map<String, KeyMetadata> described = new HashMap<>();
        if (ServiceObserver.few(environments)) {
            // DescribeKey takes an alias name: one call for each of a few environments instead of the account's aliases.
            envByAlias.forEach((alias, env) -> KmsKeys.describe(aws.kms, alias).ifPresent(key -> {
                envByKey.put(key.keyId(), env);
                described.put(key.keyId(), key);
            }));
        } else {
            for (AliasListEntry alias : aws.kms.listAliasesPaginator(r -> r.limit(ALIASES_PER_PAGE)).aliases()) {
                String env = envByAlias.get(alias.aliasName());
                if (env != null && alias.targetKeyId() != null) {
                    envByKey.put(alias.targetKeyId(), env);
                }
            }
        }
        List<ObservedResource> out = new ArrayList<>();
        if (envByKey.isEmpty()) {
            return out;
        }
        // Key ARNs end in key/<id>. A key the sweep does not return (the tagging API lists a new
        // key some moments after its creation) has its tags read with ListResourceTags.
        Map<String, Map<String, String>> sweptByKey = new HashMap<>();
        Map<String, String> arnByKey = new HashMap<>();
        TaggingSweep.managed(aws.tagging, List.of("kms:key"), environments).forEach((arn, tags) -> {
            String keyId = arn.substring(arn.lastIndexOf('/') + 1);
            sweptByKey.put(keyId, tags);
            arnByKey.put(keyId, arn);
        });
        envByKey.forEach((keyId, env) -> {
            Map<String, String> swept = sweptByKey.get(keyId);
            if (swept != null && details.waiting(env)) {
                out.add(KmsKeys.unread(env, keyId, arnByKey.get(keyId), swept));
                return;
            }
            details.read(env, "kms:" + keyId, swept, () -> Optional.ofNullable(described.get(keyId))
                    .or(() -> KmsKeys.describe(aws.kms, keyId))
                    .map(key -> KmsKeys.observed(aws.kms, env, key, swept))).ifPresent(out::add);
        });
        return out;
    }
}
