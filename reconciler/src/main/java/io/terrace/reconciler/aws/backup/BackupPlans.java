package io.terrace.reconciler.aws.backup;

import io.terrace.planner.AttributeKeys.Backup;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.AwsErrors;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.backup.model.BackupException;
import software.amazon.awssdk.services.backup.model.BackupPlanInput;
import software.amazon.awssdk.services.backup.model.BackupPlansListMember;
import software.amazon.awssdk.services.backup.model.BackupRule;
import software.amazon.awssdk.services.backup.model.BackupRuleInput;
import software.amazon.awssdk.services.backup.model.BackupSelectionsListMember;
import software.amazon.awssdk.services.backup.model.ResourceNotFoundException;

/**
 * The environments' AWS Backup plans as Terrace reads and writes them: a plan {@code terrace-<env>}
 * with one rule ({@link Backup#RULE}: the schedule, the days kept, the vault {@code terrace-<env>}),
 * and one selection of the same name assigning the Aurora cluster, with the role
 * {@code terrace-<env>-backup}. Observed as {@code vault} (empty when the vault does not exist),
 * {@code schedule}, {@code retentionDays}, {@code selectionRole} and {@code selectionResources}
 * (the cluster identifiers; both empty without the selection), extras {@code arn} and
 * {@code vaultArn}.
 *
 * <p>An endpoint that does not implement the selection API at all (moto: no CreateBackupSelection,
 * ListBackupSelections, GetBackupSelection or DeleteBackupSelection) is said once per client in a
 * warning when an apply would make a selection; its plans are then observed without the two selection attributes, which the diff does
 * not compare ({@link io.terrace.planner.AttributeKeys#whenReported}).
 */
public final class BackupPlans {

    private static final Logger LOG = LoggerFactory.getLogger(BackupPlans.class);

    /** The clients whose endpoint answered a selection call as not implemented. */
    private static final Set<AwsClients> WITHOUT_SELECTIONS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    /** The clients whose missing selection API was said in a warning. */
    private static final Set<AwsClients> WARNED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private BackupPlans() {}

    /** The live plans (not deleted) whose name is one of {@code names}, by name, in one paged sweep. */
    public static Map<String, BackupPlansListMember> byName(AwsClients aws, Set<String> names) {
        Map<String, BackupPlansListMember> out = new HashMap<>();
        aws.backup.listBackupPlansPaginator(r -> r.includeDeleted(false)).backupPlansList().stream()
                .filter(p -> names.contains(p.backupPlanName()) && p.deletionDate() == null)
                .forEach(p -> out.put(p.backupPlanName(), p));
        return out;
    }

    public static Optional<BackupPlansListMember> find(AwsClients aws, String name) {
        return Optional.ofNullable(byName(aws, Set.of(name)).get(name));
    }

    /** The names of the vaults of the region, by name with their ARN, in one paged sweep. */
    public static Map<String, String> vaults(AwsClients aws) {
        Map<String, String> out = new HashMap<>();
        aws.backup.listBackupVaultsPaginator(r -> { }).backupVaultList()
                .forEach(v -> out.put(v.backupVaultName(), v.backupVaultArn()));
        return out;
    }

    /** The vault's ARN, when it exists. */
    public static Optional<String> vault(AwsClients aws, String name) {
        try {
            return Optional.of(aws.backup.describeBackupVault(r -> r.backupVaultName(name)).backupVaultArn());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The plan as observed: GetBackupPlan and ListTags, then its selection (ListBackupSelections,
     * GetBackupSelection) unless the endpoint lacks them; empty when the plan went in between.
     */
    public static Optional<ObservedResource> read(AwsClients aws, String env, BackupPlansListMember plan,
            Map<String, String> vaults) {
        software.amazon.awssdk.services.backup.model.BackupPlan body;
        Map<String, String> tags;
        try {
            body = aws.backup.getBackupPlan(r -> r.backupPlanId(plan.backupPlanId())).backupPlan();
            tags = aws.backup.listTags(r -> r.resourceArn(plan.backupPlanArn())).tags();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        Map<String, Object> a = new LinkedHashMap<>();
        Optional<BackupRule> rule = body.rules().stream().filter(r -> Backup.RULE.equals(r.ruleName())).findFirst();
        String target = rule.map(BackupRule::targetBackupVaultName).orElse("");
        a.put(Backup.VAULT, vaults.containsKey(target) ? target : "");
        a.put(Backup.SCHEDULE, rule.map(BackupRule::scheduleExpression).orElse(""));
        a.put(Backup.RETENTION_DAYS, rule.map(r -> r.lifecycle() == null || r.lifecycle().deleteAfterDays() == null
                ? 0 : r.lifecycle().deleteAfterDays().intValue()).orElse(0));
        selection(aws, plan.backupPlanId(), ResourceNames.backupPlan(env)).ifPresent(s -> {
            a.put(Backup.SELECTION_ROLE, s.role());
            a.put(Backup.SELECTION_RESOURCES, s.resources());
        });
        a.put("arn", plan.backupPlanArn());
        if (vaults.containsKey(target)) {
            a.put("vaultArn", vaults.get(target));
        }
        return Optional.of(new ObservedResource(Addresses.of(env, Component.DATABASE, "backup"),
                ResourceType.BACKUP_PLAN, plan.backupPlanId(), a, tags == null ? Map.of() : tags));
    }

    /** The selection as observed: its role's name and the sorted identifiers of its resources. */
    record Selection(String id, String role, List<String> resources) {
        static final Selection NONE = new Selection("", "", List.of());
    }

    /**
     * The plan's selection named {@code name} ({@link Selection#NONE} without one), or empty when
     * the endpoint does not implement the selection API.
     */
    static Optional<Selection> selection(AwsClients aws, String planId, String name) {
        return unlessUnimplemented(aws, "ListBackupSelections", false, () -> {
            Optional<BackupSelectionsListMember> member = aws.backup.listBackupSelectionsPaginator(
                    r -> r.backupPlanId(planId)).backupSelectionsList().stream()
                    .filter(s -> name.equals(s.selectionName())).findFirst();
            if (member.isEmpty()) {
                return Selection.NONE;
            }
            var s = aws.backup.getBackupSelection(r -> r.backupPlanId(planId)
                    .selectionId(member.get().selectionId())).backupSelection();
            return new Selection(member.get().selectionId(), roleName(s.iamRoleArn()),
                    s.resources().stream().map(BackupPlans::resourceName).sorted().toList());
        });
    }

    /**
     * Runs a selection call: empty when the endpoint does not implement it
     * ({@link AwsErrors#isUnimplemented}), and not called again on that client afterwards. A write
     * ({@code write}: the selection an apply would make) says so once per client, as the warning
     * {@code backup-selections-unsupported}; reads say nothing, so that a plan's output stays the plan.
     */
    static <T> Optional<T> unlessUnimplemented(AwsClients aws, String operation, boolean write,
            java.util.function.Supplier<T> call) {
        if (!WITHOUT_SELECTIONS.contains(aws)) {
            try {
                return Optional.of(call.get());
            } catch (BackupException e) {
                if (!AwsErrors.isUnimplemented(e)) {
                    throw e;
                }
                WITHOUT_SELECTIONS.add(aws);
            }
        }
        if (write && WARNED.add(aws)) {
            LOG.atWarn().setMessage("backup-selections-unsupported")
                    .addKeyValue("operation", operation)
                    .addKeyValue("detail", "the endpoint does not implement AWS Backup selections: backup plans"
                            + " are applied without assigning the database; not asked again")
                    .log();
        }
        return Optional.empty();
    }

    /** Whether the client's endpoint was found without the selection API. */
    public static boolean selectionsUnsupported(AwsClients aws) {
        return WITHOUT_SELECTIONS.contains(aws);
    }

    /** The plan's body: its one rule. */
    static BackupPlanInput input(String name, Map<String, Object> desired) {
        return BackupPlanInput.builder().backupPlanName(name).rules(BackupRuleInput.builder()
                        .ruleName(Backup.RULE)
                        .targetBackupVaultName((String) desired.get(Backup.VAULT))
                        .scheduleExpression((String) desired.get(Backup.SCHEDULE))
                        .lifecycle(l -> l.deleteAfterDays(((Number) desired.get(Backup.RETENTION_DAYS)).longValue()))
                        .build())
                .build();
    }

    /** {@code arn:aws:iam::123:role/terrace/terrace-acme-backup} → {@code terrace-acme-backup}. */
    static String roleName(String arn) {
        return arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** {@code arn:aws:rds:eu-west-1:123:cluster:terrace-acme} → {@code terrace-acme}. */
    static String resourceName(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }
}
