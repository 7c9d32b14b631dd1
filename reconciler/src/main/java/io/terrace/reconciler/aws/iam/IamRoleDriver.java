package io.terrace.reconciler.aws.iam;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.planner.RolePolicies;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * An IAM role under {@link RolePolicies#PATH} with its trust policy, at most one inline policy
 * ({@link RolePolicies#POLICY_NAME}) and the AWS-managed policies it names. An inline policy
 * changed or deleted by hand is put back whole with PutRolePolicy. Terrace owns the role whole:
 * a managed policy attached by hand is detached, one detached by hand attached again, and Terrace's
 * inline policy on a role that should have none is deleted. A role is deleted after its inline
 * and managed policies (IAM refuses otherwise).
 */
public record IamRoleDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.IAM_ROLE;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return IamRoles.read(aws.iam, desired.address(), desired.name())
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        Role role = aws.iam.createRole(r -> r.roleName(desired.name())
                .path(RolePolicies.PATH)
                .description("Terrace " + desired.address())
                .assumeRolePolicyDocument(attribute(desired, IamRole.TRUST_POLICY))
                .tags(IamRoles.toTags(desired.tags()))).role();
        Optional<String> policy = Optional.empty();
        if (desired.attributes().containsKey(IamRole.POLICY)) {
            putPolicy(desired);
            policy = Optional.of(attribute(desired, IamRole.POLICY));
        }
        syncManagedPolicies(desired.name(), managedPolicies(desired), List.of());
        // A new role is what CreateRole answered (its ARN) and what was put and attached: not read
        // again with GetRole, GetRolePolicy and ListAttachedRolePolicies.
        return IamRoles.observed(desired.address(), role.roleName(), role.arn(), role.path(),
                attribute(desired, IamRole.TRUST_POLICY), policy, managedPolicies(desired), desired.tags());
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        String trust = attribute(desired, IamRole.TRUST_POLICY);
        if (!Objects.equals(trust, live.attributes().get(IamRole.TRUST_POLICY))) {
            aws.iam.updateAssumeRolePolicy(r -> r.roleName(live.id()).policyDocument(trust));
        }
        if (!desired.attributes().containsKey(IamRole.POLICY)) {
            if (live.attributes().containsKey(IamRole.POLICY)) {
                try {
                    aws.iam.deleteRolePolicy(r -> r.roleName(live.id()).policyName(RolePolicies.POLICY_NAME));
                } catch (NoSuchEntityException e) {
                    // Already gone.
                }
            }
        } else if (!Objects.equals(attribute(desired, IamRole.POLICY), live.attributes().get(IamRole.POLICY))) {
            putPolicy(desired);
        }
        syncManagedPolicies(live.id(), managedPolicies(desired), IamRoles.managedPolicies(aws.iam, live.id()));
        TagSync.between(live.tags(), desired.tags()).send(
                set -> aws.iam.tagRole(r -> r.roleName(live.id()).tags(IamRoles.toTags(set))),
                keys -> aws.iam.untagRole(r -> r.roleName(live.id()).tagKeys(keys)));
        return reread(desired);
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        IamClient iam = aws.iam;
        String role = live.id();
        try {
            for (String policy : iam.listRolePoliciesPaginator(r -> r.roleName(role)).policyNames()) {
                iam.deleteRolePolicy(r -> r.roleName(role).policyName(policy));
            }
            // Someone may have attached a managed policy by hand: DeleteRole refuses a role that has one.
            iam.listAttachedRolePoliciesPaginator(r -> r.roleName(role)).attachedPolicies().forEach(p ->
                    iam.detachRolePolicy(r -> r.roleName(role).policyArn(p.policyArn())));
            iam.deleteRole(r -> r.roleName(role));
        } catch (NoSuchEntityException e) {
            // Already gone: what the delete wanted.
        }
    }

    /** Attaches the wanted managed policies the role lacks and detaches the others. */
    private void syncManagedPolicies(String role, List<String> wanted, List<String> attached) {
        for (String arn : wanted) {
            if (!attached.contains(arn)) {
                aws.iam.attachRolePolicy(r -> r.roleName(role).policyArn(arn));
            }
        }
        for (String arn : attached) {
            if (!wanted.contains(arn)) {
                aws.iam.detachRolePolicy(r -> r.roleName(role).policyArn(arn));
            }
        }
    }

    private static List<String> managedPolicies(Resource desired) {
        return desired.attributes().get(IamRole.MANAGED_POLICIES) instanceof List<?> arns
                ? arns.stream().map(String::valueOf).toList() : List.of();
    }

    private void putPolicy(Resource desired) {
        aws.iam.putRolePolicy(r -> r.roleName(desired.name()).policyName(RolePolicies.POLICY_NAME)
                .policyDocument(attribute(desired, IamRole.POLICY)));
    }

    private ObservedResource reread(Resource desired) {
        return IamRoles.read(aws.iam, desired.address(), desired.name()).orElseThrow(() -> new IllegalStateException(
                desired.address() + ": role " + desired.name() + " is not readable after being written"));
    }

    private static String attribute(Resource desired, String key) {
        return String.valueOf(desired.attributes().get(key));
    }
}
