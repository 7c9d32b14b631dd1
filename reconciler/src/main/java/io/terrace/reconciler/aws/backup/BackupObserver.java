package io.terrace.reconciler.aws.backup;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Backup plans: one paged ListBackupPlans matched on the environments' plan names; when one is
 * found, one paged ListBackupVaults, then GetBackupPlan, ListTags and the plan's selection
 * (ListBackupSelections, GetBackupSelection) for each (only production environments of the
 * business and enterprise tiers have one).
 */
public final class BackupObserver implements ServiceObserver {

    private final AwsClients aws;

    public BackupObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByName = new HashMap<>();
        environments.forEach(env -> envByName.put(ResourceNames.backupPlan(env), env));
        List<ObservedResource> out = new ArrayList<>();
        if (envByName.isEmpty()) {
            return out;
        }
        var plans = BackupPlans.byName(aws, envByName.keySet());
        if (plans.isEmpty()) {
            return out;
        }
        Map<String, String> vaults = BackupPlans.vaults(aws);
        plans.forEach((name, plan) -> BackupPlans.read(aws, envByName.get(name), plan, vaults).ifPresent(out::add));
        return out;
    }
}
