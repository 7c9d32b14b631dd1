package io.terrace.reconciler.aws.backup;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsErrors;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.iam.IamRoles;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.backup.model.AlreadyExistsException;
import software.amazon.awssdk.services.backup.model.BackupException;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupRule;
import software.amazon.awssdk.services.backup.model.ResourceNotFoundException;

/**
 * A production database's backup ({@link BackupPlans}): the vault first, then the plan whose rule
 * copies to it, then the selection assigning the Aurora cluster with the role
 * {@code terrace-<env>-backup}. An update makes a missing vault, puts the rule again
 * (UpdateBackupPlan) when it differs, and replaces a selection that differs (selections cannot be
 * changed: delete, then create); tags of plan and vault are synced. A delete removes the
 * selection, then the plan, then the vault, unless the vault holds recovery points: AWS refuses to
 * delete it then, and Terrace keeps it (as it keeps a final snapshot) and says so.
 */
public record BackupPlanDriver(AwsClients aws) implements ResourceDriver {

    private static final Logger LOG = LoggerFactory.getLogger(BackupPlanDriver.class);

    @Override
    public ResourceType type() {
        return ResourceType.BACKUP_PLAN;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return BackupPlans.find(aws, desired.name())
                .flatMap(p -> BackupPlans.read(aws, desired.environment(), p, vaultsOf(desired)))
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        ensureVault(desired);
        String planId;
        try {
            planId = aws.backup.createBackupPlan(r -> r
                    .backupPlan(BackupPlans.input(desired.name(), desired.attributes()))
                    .backupPlanTags(desired.tags())).backupPlanId();
        } catch (AlreadyExistsException e) {
            // An earlier attempt made it and its answer was lost (AWS refuses the same plan
            // document twice): take it up. No CreatorRequestId: the same token after a delete
            // would answer with the deleted plan.
            planId = BackupPlans.find(aws, desired.name()).orElseThrow(() -> e).backupPlanId();
        }
        createSelection(desired, planId, context);
        return observed(desired);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        ensureVault(desired);
        String planId = live.id();
        var current = aws.backup.getBackupPlan(r -> r.backupPlanId(planId)).backupPlan();
        BackupRule rule = current.rules().stream().filter(r -> Backup.RULE.equals(r.ruleName())).findFirst()
                .orElse(null);
        Map<String, Object> want = desired.attributes();
        boolean ruleDiffers = rule == null || current.rules().size() != 1
                || !want.get(Backup.VAULT).equals(rule.targetBackupVaultName())
                || !want.get(Backup.SCHEDULE).equals(rule.scheduleExpression())
                || rule.lifecycle() == null || rule.lifecycle().deleteAfterDays() == null
                || ((Number) want.get(Backup.RETENTION_DAYS)).longValue() != rule.lifecycle().deleteAfterDays();
        if (ruleDiffers) {
            try {
                aws.backup.updateBackupPlan(r -> r.backupPlanId(planId)
                        .backupPlan(BackupPlans.input(desired.name(), want)));
            } catch (BackupException e) {
                if (!AwsErrors.isUnimplemented(e)) {
                    throw e;
                }
                throw new IllegalStateException(desired.address() + ": the AWS endpoint does not implement"
                        + " UpdateBackupPlan; the plan's rule cannot be changed there");
            }
        }
        // An adopted create (no changes) may have lost its selection: it is checked too.
        boolean selectionDiffers = changes.isEmpty() || changes.stream().anyMatch(c -> Set.of(Backup.SELECTION_ROLE,
                Backup.SELECTION_RESOURCES).contains(c.path()));
        if (selectionDiffers) {
            BackupPlans.selection(aws, planId, desired.name()).ifPresent(s -> {
                if (s.role().equals(want.get(Backup.SELECTION_ROLE))
                        && s.resources().equals(want.get(Backup.SELECTION_RESOURCES))) {
                    return;
                }
                if (!s.id().isEmpty()) {
                    aws.backup.deleteBackupSelection(r -> r.backupPlanId(planId).selectionId(s.id()));
                }
                createSelection(desired, planId, context);
            });
        }
        String arn = (String) live.attributes().get("arn");
        syncTags(arn, live.tags(), desired.tags());
        BackupPlans.vault(aws, (String) want.get(Backup.VAULT)).ifPresent(vaultArn -> syncTags(vaultArn,
                aws.backup.listTags(r -> r.resourceArn(vaultArn)).tags(), desired.tags()));
        return observed(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        String env = Addresses.environment(live.address());
        String name = ResourceNames.backupPlan(env);
        String planId = live.id();
        try {
            BackupPlans.selection(aws, planId, name).filter(s -> !s.id().isEmpty()).ifPresent(s ->
                    aws.backup.deleteBackupSelection(r -> r.backupPlanId(planId).selectionId(s.id())));
            aws.backup.deleteBackupPlan(r -> r.backupPlanId(planId));
        } catch (ResourceNotFoundException e) {
            // Gone already.
        }
        String vault = String.valueOf(live.attributes().getOrDefault(Backup.VAULT, ""));
        if (vault.isEmpty()) {
            return;
        }
        try {
            Long points = aws.backup.describeBackupVault(r -> r.backupVaultName(vault)).numberOfRecoveryPoints();
            if (points != null && points > 0) {
                LOG.atWarn().setMessage("backup-vault-kept").addKeyValue("env", env).addKeyValue("vault", vault)
                        .addKeyValue("recoveryPoints", points)
                        .addKeyValue("detail", "a vault holding recovery points cannot be deleted; it stays,"
                                + " like a final snapshot, until they expire or are deleted")
                        .log();
                return;
            }
            aws.backup.deleteBackupVault(r -> r.backupVaultName(vault));
        } catch (ResourceNotFoundException e) {
            // Gone already.
        }
    }

    /** The vault, made when missing (a vault kept from an earlier life of the environment is reused). */
    private void ensureVault(Resource desired) {
        String vault = (String) desired.attributes().get(Backup.VAULT);
        if (BackupPlans.vault(aws, vault).isPresent()) {
            return;
        }
        try {
            aws.backup.createBackupVault(r -> r.backupVaultName(vault).backupVaultTags(desired.tags()));
        } catch (AlreadyExistsException e) {
            // Made in between, or by an earlier attempt whose answer was lost.
        }
    }

    /** The selection of the cluster, unless the endpoint lacks the selection API. */
    private void createSelection(Resource desired, String planId, DriverContext context) {
        String env = desired.environment();
        String role = (String) desired.attributes().get(Backup.SELECTION_ROLE);
        @SuppressWarnings("unchecked")
        List<String> clusters = (List<String>) desired.attributes().get(Backup.SELECTION_RESOURCES);
        BackupPlans.unlessUnimplemented(aws, "CreateBackupSelection", true, () -> {
            String roleArn = context.live(Addresses.of(env, Component.DATABASE, "backup-role"))
                    .filter(r -> role.equals(r.id()))
                    .map(r -> String.valueOf(r.attributes().get("arn")))
                    .or(() -> IamRoles.role(aws.iam, role).map(r -> r.arn()))
                    .orElseThrow(() -> new IllegalStateException(desired.address() + ": role " + role
                            + " does not exist; it is created at " + Addresses.of(env, Component.DATABASE,
                            "backup-role")));
            List<String> arns = clusters.stream().map(c -> aws.rds.describeDBClusters(r -> r.dbClusterIdentifier(c))
                    .dbClusters().get(0).dbClusterArn()).toList();
            // No CreatorRequestId: a selection replaced under the same token would be the old one.
            return aws.backup.createBackupSelection(r -> r.backupPlanId(planId)
                    .backupSelection(s -> s.selectionName(desired.name()).iamRoleArn(roleArn).resources(arns)))
                    .selectionId();
        });
    }

    private void syncTags(String arn, Map<String, String> live, Map<String, String> desired) {
        TagSync.between(live == null ? Map.of() : live, desired).send(
                set -> aws.backup.tagResource(r -> r.resourceArn(arn).tags(set)),
                keys -> aws.backup.untagResource(r -> r.resourceArn(arn).tagKeyList(keys)));
    }

    private Map<String, String> vaultsOf(Resource desired) {
        String vault = (String) desired.attributes().get(Backup.VAULT);
        return BackupPlans.vault(aws, vault).map(arn -> Map.of(vault, arn)).orElse(Map.of());
    }

    private ObservedResource observed(Resource desired) {
        BackupPlansListMember plan = BackupPlans.find(aws, desired.name()).orElseThrow(() ->
                new IllegalStateException(desired.address() + ": backup plan " + desired.name() + " disappeared"));
        return BackupPlans.read(aws, desired.environment(), plan, vaultsOf(desired)).orElseThrow(() ->
                new IllegalStateException(desired.address() + ": backup plan " + desired.name() + " disappeared"));
    }
}
