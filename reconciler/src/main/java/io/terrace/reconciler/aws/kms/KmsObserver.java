package io.terrace.reconciler.aws.kms;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kms.model.AliasListEntry;

/**
 * Observes the alert keys of many environments: ListAliases page by page (account-wide, up to
 * {@value #ALIASES_PER_PAGE} a page) finds each environment's alias and the key it points to;
 * then, per key found, DescribeKey, GetKeyPolicy, GetKeyRotationStatus and ListResourceTags,
 * which KMS has no batch form of. A key whose alias is gone (deleted with the environment, its
 * deletion scheduled) is not looked at.
 */
public final class KmsObserver implements ServiceObserver {

    static final int ALIASES_PER_PAGE = 100;

    private final AwsClients aws;

    public KmsObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        if (environments.isEmpty()) {
            return List.of();
        }
        Map<String, String> envByAlias = new HashMap<>();
        environments.forEach(env -> envByAlias.put(ResourceNames.alertKeyAlias(env), env));
        List<ObservedResource> out = new ArrayList<>();
        for (AliasListEntry alias : aws.kms.listAliasesPaginator(r -> r.limit(ALIASES_PER_PAGE)).aliases()) {
            String env = envByAlias.get(alias.aliasName());
            if (env == null || alias.targetKeyId() == null) {
                continue;
            }
            KmsKeys.describe(aws.kms, alias.targetKeyId()).ifPresent(key -> out.add(KmsKeys.observed(aws.kms, env, key)));
        }
        return out;
    }
}
