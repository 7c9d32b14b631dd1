package io.terrace.reconciler.aws.iam;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.ecs.EcsResources;

import io.terrace.planner.AttributeKeys.IamRole;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.PolicyDocument;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.planner.RolePolicies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The IAM roles of environments as Terrace reads them: the execution role at
 * {@code <env>/cluster/execution-role} and a task role at {@code <env>/<component>/task-role},
 * both policies canonical ({@link PolicyDocument}) so they compare with the desired ones.
 */
public final class IamRoles {

    private IamRoles() {}

    /** Role name to address, for the roles of {@code env}. */
    static Map<String, String> addresses(String env) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ResourceNames.executionRole(env), Addresses.of(env, Component.CLUSTER, "execution-role"));
        for (Component c : EcsResources.SERVICE_COMPONENTS) {
            out.put(ResourceNames.taskRole(env, c), Addresses.of(env, c, "task-role"));
        }
        out.put(ResourceNames.monitoringRole(env), Addresses.of(env, Component.DATABASE, "monitoring-role"));
        out.put(ResourceNames.backupRole(env), Addresses.of(env, Component.DATABASE, "backup-role"));
        return out;
    }

    /**
     * A role as observed: its trust policy, its inline policy {@link RolePolicies#POLICY_NAME}
     * (absent when deleted out of band or never wanted), the ARNs of its attached managed policies
     * (sorted), and the extras {@code arn} and {@code path}.
     */
    static ObservedResource observed(String address, String name, String arn, String path, String trust,
            Optional<String> policy, List<String> managedPolicies, Map<String, String> tags) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(IamRole.TRUST_POLICY, trust == null ? null : PolicyDocument.canonical(trust));
        policy.ifPresent(p -> attributes.put(IamRole.POLICY, PolicyDocument.canonical(p)));
        attributes.put(IamRole.MANAGED_POLICIES, List.copyOf(new TreeSet<>(managedPolicies)));
        attributes.put("arn", arn);
        attributes.put("path", path);
        return new ObservedResource(address, ResourceType.IAM_ROLE, name, attributes, tags);
    }

    /** The role by name, read with GetRole (which, unlike ListRoles, carries the tags). */
    public static Optional<Role> role(IamClient iam, String name) {
        try {
            return Optional.of(iam.getRole(r -> r.roleName(name)).role());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** Terrace's inline policy of a role, when it has one. */
    static Optional<String> policy(IamClient iam, String role) {
        try {
            return Optional.of(iam.getRolePolicy(r -> r.roleName(role).policyName(RolePolicies.POLICY_NAME))
                    .policyDocument());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    /** The ARNs of the managed policies attached to a role (ListAttachedRolePolicies). */
    static List<String> managedPolicies(IamClient iam, String role) {
        return iam.listAttachedRolePoliciesPaginator(r -> r.roleName(role)).attachedPolicies().stream()
                .map(p -> p.policyArn()).toList();
    }

    /** A role, its policy and its managed policies read one by one, as the driver sees it. */
    static Optional<ObservedResource> read(IamClient iam, String address, String name) {
        return role(iam, name).map(r -> observed(address, r.roleName(), r.arn(), r.path(),
                r.assumeRolePolicyDocument(), policy(iam, r.roleName()), managedPolicies(iam, r.roleName()),
                tags(r.tags())));
    }

    static Map<String, String> tags(List<Tag> tags) {
        return TerraceTags.fromSdk(tags == null ? List.of() : tags, Tag::key, Tag::value);
    }

    static List<Tag> toTags(Map<String, String> tags) {
        return TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }
}
