package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceDiff;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.RolePolicies;
import io.terrace.reconciler.aws.backup.BackupObserver;
import io.terrace.reconciler.aws.backup.BackupPlanDriver;
import io.terrace.reconciler.aws.backup.BackupPlans;
import io.terrace.reconciler.aws.iam.IamObserver;
import io.terrace.reconciler.aws.iam.IamRoleDriver;
import io.terrace.reconciler.aws.rds.RdsClusterDriver;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.schema.Stage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupRule;
import software.amazon.awssdk.services.backup.model.BackupVaultListMember;

/**
 * A production database's AWS Backup plan against moto, read back with separate clients: the
 * vault {@code terrace-<env>}, the plan {@code terrace-<env>} with its daily rule into that vault
 * and the tier's retention, both tagged, and the role {@code terrace-<env>-backup} with AWS
 * Backup's managed policy; a re-observe then plans nothing. moto has no backup selections: the
 * driver says so and goes on, and the observed plan carries no selection to compare (the replay
 * test shows the selection calls). A vault deleted and tags removed by hand come back; a delete
 * removes plan and vault; a staging environment has none.
 */
@NeedsMoto
class BackupPlanIT extends DataDriverFixture {

    private static final String NAME = ResourceNames.backupPlan(ENV);

    private AwsClients check;
    private ManagedDriver plans;

    @BeforeEach
    void buildDrivers() {
        check = Moto.clients();
        plans = new ManagedDriver(new BackupPlanDriver(aws));
    }

    @AfterEach
    void closeCheck() {
        check.close();
    }

    @Test
    void aProductionDatabaseGetsItsVaultPlanAndRole() {
        ObservedResource created = createBackup();

        BackupVaultListMember vault = check.backup.listBackupVaults().backupVaultList().stream()
                .filter(v -> v.backupVaultName().equals(NAME)).findFirst().orElseThrow(() -> new AssertionError(
                        "no vault " + NAME));
        assertEquals("terrace", check.backup.listTags(r -> r.resourceArn(vault.backupVaultArn())).tags()
                .get("terrace:managed-by"));
        BackupPlansListMember plan = onlyPlan();
        var body = check.backup.getBackupPlan(r -> r.backupPlanId(plan.backupPlanId())).backupPlan();
        assertEquals(1, body.rules().size(), "one rule: " + body.rules());
        BackupRule rule = body.rules().get(0);
        assertEquals(Backup.RULE, rule.ruleName());
        assertEquals(NAME, rule.targetBackupVaultName());
        assertEquals(DesiredState.BACKUP_SCHEDULE, rule.scheduleExpression());
        assertEquals(35L, rule.lifecycle().deleteAfterDays(), "the business tier keeps 35 days");
        Map<String, String> tags = check.backup.listTags(r -> r.resourceArn(plan.backupPlanArn())).tags();
        assertEquals(ENV, tags.get("terrace:environment"));
        assertEquals("database", tags.get("terrace:component"));
        assertEquals(plan.backupPlanId(), created.id());

        String role = ResourceNames.backupRole(ENV);
        var described = check.iam.getRole(r -> r.roleName(role)).role();
        assertTrue(URLDecoder.decode(described.assumeRolePolicyDocument(), StandardCharsets.UTF_8)
                .contains("backup.amazonaws.com"));
        assertEquals(List.of(RolePolicies.BACKUP_POLICY), check.iam.listAttachedRolePolicies(r -> r.roleName(role))
                .attachedPolicies().stream().map(p -> p.policyArn()).toList());

        assertTrue(BackupPlans.selectionsUnsupported(aws), "moto answered the selection call as not implemented");
        ObservedResource live = live(observe(new BackupObserver(aws)), ENV + "/database/backup");
        assertFalse(live.attributes().containsKey(Backup.SELECTION_RESOURCES),
                "no selection is observed where the endpoint has none: " + live.attributes());
        assertEquals(List.of(), differences(live), "a re-plan after the apply is empty");
        assertEquals(List.of(), ResourceDiff.of(spec.resource("database/backup-role"), Optional.of(
                live(observe(new IamObserver(aws)), ENV + "/database/backup-role"))).attributes());
    }

    @Test
    void aVaultDeletedAndTagsRemovedByHandComeBack() {
        createBackup();
        check.backup.deleteBackupVault(r -> r.backupVaultName(NAME));
        String planArn = onlyPlan().backupPlanArn();
        check.backup.untagResource(r -> r.resourceArn(planArn).tagKeyList("terrace:component"));

        ObservedResource live = live(observe(new BackupObserver(aws)), ENV + "/database/backup");
        assertEquals(List.of(Backup.VAULT, ResourceDiff.TAG_PREFIX + "terrace:component"), differences(live));

        Resource desired = spec.resource("database/backup");
        plans.update(desired, live, ResourceDiff.of(desired, Optional.of(live)).attributes(), context);

        assertTrue(check.backup.listBackupVaults().backupVaultList().stream()
                .anyMatch(v -> v.backupVaultName().equals(NAME)), "the vault is back");
        assertEquals("database", check.backup.listTags(r -> r.resourceArn(planArn)).tags().get("terrace:component"));
        assertEquals(List.of(), differences(live(observe(new BackupObserver(aws)), ENV + "/database/backup")));
    }

    @Test
    void aDeleteRemovesThePlanThenTheEmptyVault() {
        createBackup();
        ObservedResource live = live(observe(new BackupObserver(aws)), ENV + "/database/backup");

        plans.delete(live, context);

        assertEquals(List.of(), check.backup.listBackupPlans().backupPlansList().stream()
                .filter(p -> p.backupPlanName().equals(NAME)).toList(), "the plan is gone");
        assertTrue(check.backup.listBackupVaults().backupVaultList().stream()
                .noneMatch(v -> v.backupVaultName().equals(NAME)), "the empty vault is gone");
        assertTrue(observe(new BackupObserver(aws)).get(ENV + "/database/backup").isEmpty());
    }

    @Test
    void aStagingEnvironmentHasNoBackupPlan() {
        spec.stage = Stage.STAGING;
        assertTrue(DesiredState.compile(spec.build(), "rev-1").stream()
                .noneMatch(r -> r.address().contains("/backup")), "neither plan nor role is desired");
        assertEquals(List.of(), new BackupObserver(aws).observe(List.of(ENV)));
    }

    // --- helpers ---

    /** The cluster, the backup role and the plan, in the planner's order. */
    private ObservedResource createBackup() {
        context.with(new ManagedDriver(new RdsClusterDriver(aws)).create(spec.resource("database/cluster"), context));
        context.with(new ManagedDriver(new IamRoleDriver(aws)).create(spec.resource("database/backup-role"), context));
        return plans.create(spec.resource("database/backup"), context);
    }

    private BackupPlansListMember onlyPlan() {
        List<BackupPlansListMember> named = check.backup.listBackupPlans().backupPlansList().stream()
                .filter(p -> p.backupPlanName().equals(NAME)).toList();
        assertEquals(1, named.size(), "one plan named " + NAME);
        return named.get(0);
    }

    private List<String> differences(ObservedResource live) {
        return ResourceDiff.of(spec.resource("database/backup"), Optional.of(live)).attributes().stream()
                .map(AttributeChange::path).toList();
    }
}
