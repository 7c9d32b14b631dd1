package io.terrace.reconciler.aws.iam;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ObserveShare;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.RolePolicies;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.RoleDetail;

/**
 * The environments' roles in one paged GetAccountAuthorizationDetails (roles only, up to
 * {@value #ROLES_PER_PAGE} per page): the one IAM read that returns every role with its trust
 * policy, inline policies, attached managed policies and tags together. ListRoles would need a GetRolePolicy and a
 * ListRoleTags per role on top, since it returns neither tags nor inline policies (docs/aws.md).
 * A {@linkplain ServiceObserver#FEW few} environments' roles are read by name instead (GetRole,
 * GetRolePolicy, ListAttachedRolePolicies each), so that observing one does not page through
 * every role of the account.
 *
 * <p>IAM is global, so every region's observer would read the same account's roles: an observe
 * across regions reads them once for all its environments ({@link ObserveShare}), and observers
 * outside such a share page one region at a time ({@link #ACCOUNT_READ}). The SDK parses a Query
 * answer into a whole XML tree first, about 15 KiB a role, and an emulator that ignores
 * {@code MaxItems} (moto) answers with every role of the account in one page: three regions of
 * 1,000 environments reading at once held three such trees of some 90 MiB and ran the daemon out
 * of its 512 MiB heap.
 */
public final class IamObserver implements ServiceObserver {

    static final int ROLES_PER_PAGE = 1000;

    /** Held while a region's observer pages through the account's roles. */
    private static final Object ACCOUNT_READ = new Object();

    private final AwsClients aws;

    public IamObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        if (environments.isEmpty()) {
            return List.of();
        }
        ObserveShare share = ObserveShare.current();
        if (!share.covers(environments)) {
            return read(aws.iam, environments);
        }
        Set<String> wanted = Set.copyOf(environments);
        List<ObservedResource> roles = share.once("iam:roles", () -> read(aws.iam, share.environments()));
        return roles.stream().filter(r -> wanted.contains(r.environment())).toList();
    }

    private static List<ObservedResource> read(IamClient iam, Collection<String> environments) {
        Map<String, String> addressByName = new HashMap<>();
        environments.forEach(env -> addressByName.putAll(IamRoles.addresses(env)));
        List<ObservedResource> out = new ArrayList<>();
        if (ServiceObserver.few(environments)) {
            // A few environments' roles one by one, as the driver reads them: no page of the account's roles.
            new TreeMap<>(addressByName).forEach((name, address) -> IamRoles.read(iam, address, name)
                    .ifPresent(out::add));
            return out;
        }
        synchronized (ACCOUNT_READ) {
            readAccountRoles(iam, addressByName, out);
        }
        return out;
    }

    private static void readAccountRoles(IamClient iam, Map<String, String> addressByName, List<ObservedResource> out) {
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(r -> r
                .filter(EntityType.ROLE).maxItems(ROLES_PER_PAGE))) {
            for (RoleDetail role : page.roleDetailList()) {
                String address = addressByName.get(role.roleName());
                // Any path: role names are unique in the account, so a same-named role is in the way.
                if (address == null) {
                    continue;
                }
                Optional<String> policy = role.rolePolicyList().stream()
                        .filter(p -> RolePolicies.POLICY_NAME.equals(p.policyName()))
                        .map(PolicyDetail::policyDocument)
                        .findFirst();
                List<String> managed = role.attachedManagedPolicies().stream()
                        .map(AttachedPolicy::policyArn).toList();
                out.add(IamRoles.observed(address, role.roleName(), role.arn(), role.path(),
                        role.assumeRolePolicyDocument(), policy, managed, IamRoles.tags(role.tags())));
            }
        }
    }
}
