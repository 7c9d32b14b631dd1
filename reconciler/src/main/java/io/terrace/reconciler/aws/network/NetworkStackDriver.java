package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.acm.AcmCertificates;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.Component;
import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * The network component: one CloudFormation stack per environment from {@code network-stack.json}
 * (VPC, two public and two private subnets in two zones, NAT gateways or VPC endpoints for the
 * private subnets, security groups, load balancer admitting CloudFront only, target groups,
 * listeners). Stack tags propagate to every resource in it. {@code zones} and {@code egress} are
 * stack parameters and the template carries its revision, so any change, a new template
 * included, is an UpdateStack with the current template; the CloudFront prefix list id is looked
 * up in the region before each. So is the HTTPS listener's certificate, passed once ACM has
 * issued the environment's; and so is the origin secret ({@link OriginSecrets}), created with
 * the stack, deleted after it. The load balancer's attributes Terrace manages
 * ({@link LoadBalancerAttributes}) are set after every create and update, and alone when only
 * they drifted; deletion protection is switched off before the stack is deleted.
 */
public record NetworkStackDriver(AwsClients aws) implements ResourceDriver {

    private static final Set<StackStatus> CREATED = Set.of(StackStatus.CREATE_COMPLETE);
    private static final Set<StackStatus> UPDATED = Set.of(StackStatus.UPDATE_COMPLETE, StackStatus.CREATE_COMPLETE);

    @Override
    public ResourceType type() {
        return ResourceType.NETWORK_STACK;
    }

    /** A stack whose first create failed ({@code ROLLBACK_COMPLETE}) can only be deleted. */
    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        return NetworkStacks.describe(aws, desired.name())
                .<LiveRead>map(s -> {
                    ObservedResource live = NetworkStacks.toObserved(desired.address(), s);
                    return s.stackStatus() == StackStatus.ROLLBACK_COMPLETE
                            ? new LiveRead.Failed(live) : new LiveRead.Present(live);
                })
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public String updateVerb() {
        return "update";
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        String secret = OriginSecrets.ensure(aws.secretsManager, desired.environment(), desired.tags());
        OriginSecretPolicy.put(aws, desired.environment());
        List<Parameter> parameters = new ArrayList<>(parameters(desired, context));
        parameters.add(value(NetworkStacks.ORIGIN_SECRET_PARAMETER, secret));
        parameters.add(value(NetworkStacks.PREVIOUS_ORIGIN_SECRET_PARAMETER, ""));
        aws.cloudFormation.createStack(r -> r.stackName(desired.name())
                .templateBody(NetworkStacks.template())
                .parameters(parameters)
                .tags(tags(desired.tags())));
        return withLoadBalancer(desired, restricted(waitFor(desired.address(), desired.name(), CREATED, context)));
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        if (!changes.isEmpty() && changes.stream().allMatch(c -> c.path().equals(NetworkStack.ORIGIN_SECRET_POLICY)
                || LoadBalancerAttributes.KEYS.contains(c.path()))) {
            // Only the secret's policy or the load balancer's attributes changed: no stack update.
            if (changes.stream().anyMatch(c -> c.path().equals(NetworkStack.ORIGIN_SECRET_POLICY))) {
                OriginSecretPolicy.put(aws, desired.environment());
            }
            return withLoadBalancer(desired, restricted(live));
        }
        List<Parameter> parameters = new ArrayList<>(parameters(desired, context));
        parameters.addAll(originSecret(desired, live));
        OriginSecretPolicy.put(aws, desired.environment());
        try {
            aws.cloudFormation.updateStack(r -> r.stackName(live.id())
                    .templateBody(NetworkStacks.template())
                    .parameters(parameters)
                    .tags(tags(desired.tags())));
        } catch (CloudFormationException e) {
            if (e.getMessage() == null || !e.getMessage().contains("No updates are to be performed")) {
                throw e;
            }
            return withLoadBalancer(desired, restricted(NetworkStacks.describe(aws, live.id())
                    .map(s -> NetworkStacks.toObserved(desired.address(), s))
                    .orElseThrow(() -> new IllegalStateException("stack " + live.id() + " disappeared"))));
        }
        ObservedResource after = waitFor(desired.address(), live.id(), UPDATED, context);
        AcmCertificates.retireSuperseded(aws, desired.environment(), Component.NETWORK);
        return withLoadBalancer(desired, restricted(after));
    }

    /**
     * The stack as observed once its load balancer has the desired attributes
     * ({@link LoadBalancerAttributes}), set in one call after every create and update.
     */
    private ObservedResource withLoadBalancer(Resource desired, ObservedResource stack) {
        Object arn = stack.attributes().get(NetworkStacks.output(NetworkStacks.LOAD_BALANCER_ARN));
        if (arn == null) {
            return stack;
        }
        LoadBalancerAttributes.apply(aws, arn.toString(), desired.attributes());
        Map<String, Object> attributes = new java.util.LinkedHashMap<>(stack.attributes());
        attributes.putAll(LoadBalancerAttributes.observe(aws, arn.toString()));
        return new ObservedResource(stack.address(), stack.type(), stack.id(), attributes, stack.tags());
    }

    /** The stack as observed once the origin secret carries its policy. */
    private static ObservedResource restricted(ObservedResource stack) {
        Map<String, Object> attributes = new java.util.LinkedHashMap<>(stack.attributes());
        attributes.put(NetworkStack.ORIGIN_SECRET_POLICY, OriginSecretPolicy.RESTRICTED);
        return new ObservedResource(stack.address(), stack.type(), stack.id(), attributes, stack.tags());
    }

    /**
     * The origin secret's parameters keep their live values: only {@code rotate-origin-secret}
     * changes them, in its order. A stack made before they existed gets the current secret.
     */
    private List<Parameter> originSecret(Resource desired, ObservedResource live) {
        Set<String> have = NetworkStacks.describe(aws, live.id()).map(s -> s.parameters().stream()
                .map(Parameter::parameterKey).collect(java.util.stream.Collectors.toSet())).orElse(Set.of());
        List<Parameter> out = new ArrayList<>();
        out.add(have.contains(NetworkStacks.ORIGIN_SECRET_PARAMETER) ? previous(NetworkStacks.ORIGIN_SECRET_PARAMETER)
                : value(NetworkStacks.ORIGIN_SECRET_PARAMETER,
                        OriginSecrets.ensure(aws.secretsManager, desired.environment(), desired.tags())));
        out.add(have.contains(NetworkStacks.PREVIOUS_ORIGIN_SECRET_PARAMETER)
                ? previous(NetworkStacks.PREVIOUS_ORIGIN_SECRET_PARAMETER)
                : value(NetworkStacks.PREVIOUS_ORIGIN_SECRET_PARAMETER, ""));
        return out;
    }

    @Override
    public void delete(ObservedResource live, DriverContext context) {
        // Deletion protection (production) would make the stack's delete of the load balancer fail.
        Object loadBalancer = live.attributes().get(NetworkStacks.output(NetworkStacks.LOAD_BALANCER_ARN));
        if (loadBalancer != null) {
            LoadBalancerAttributes.unprotect(aws, loadBalancer.toString());
        }
        CloudFormationException refused = null;
        try {
            aws.cloudFormation.deleteStack(r -> r.stackName(live.id()));
        } catch (CloudFormationException e) {
            refused = e;
        }
        // Re-observe rather than trust the answer: deletion is asynchronous on AWS, and an
        // emulator may report an error for a stack it has in fact removed.
        CloudFormationException error = refused;
        context.await("deletion of stack " + live.id(), () -> {
            Optional<Stack> now = NetworkStacks.describe(aws, live.id());
            if (now.isEmpty()) {
                return true;
            }
            StackStatus status = now.get().stackStatus();
            if (status == StackStatus.DELETE_FAILED || error != null && !status.toString().endsWith("_IN_PROGRESS")) {
                throw new IllegalStateException("stack " + live.id() + " was not deleted: "
                        + Optional.ofNullable(now.get().stackStatusReason())
                                .orElse(error == null ? status.toString() : error.getMessage()));
            }
            return false;
        });
        OriginSecrets.delete(aws.secretsManager, live.environment());
    }

    private ObservedResource waitFor(String address, String stack, Set<StackStatus> success,
            DriverContext context) {
        Stack[] last = new Stack[1];
        context.await("stack " + stack + " to reach " + success, () -> {
            Stack s = NetworkStacks.describe(aws, stack)
                    .orElseThrow(() -> new IllegalStateException("stack " + stack + " disappeared"));
            last[0] = s;
            if (success.contains(s.stackStatus())) {
                return true;
            }
            if (s.stackStatusAsString().endsWith("_IN_PROGRESS")) {
                return false;
            }
            throw new IllegalStateException("stack " + stack + " ended in " + s.stackStatusAsString()
                    + Optional.ofNullable(s.stackStatusReason()).map(r -> ": " + r).orElse(""));
        });
        return NetworkStacks.toObserved(address, last[0]);
    }

    /**
     * Zones, egress, the region's CloudFront prefix list, and the certificate of the HTTPS
     * listener: the environment's once ACM has issued it.
     */
    private List<Parameter> parameters(Resource desired, DriverContext context) {
        Object zones = desired.attributes().getOrDefault(NetworkStack.ZONES, 1);
        String certificate = "";
        if (Boolean.TRUE.equals(desired.attributes().get(NetworkStack.HTTPS))) {
            certificate = context.live(Address.of(desired.environment(), Component.NETWORK, "certificate"))
                    .flatMap(c -> AcmCertificates.describe(aws.acm, c.id()))
                    .filter(d -> Certificate.ISSUED.equals(d.statusAsString()))
                    .map(CertificateDetail::certificateArn).orElse("");
        }
        List<Parameter> out = new ArrayList<>(NetworkStacks.parameters(desired.environment(), zones,
                desired.attributes().getOrDefault(NetworkStack.EGRESS, "nat"), OriginPrefixList.id(aws.ec2)));
        out.add(value(NetworkStacks.CERTIFICATE_PARAMETER, certificate));
        return out;
    }

    private static Parameter value(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static Parameter previous(String key) {
        return Parameter.builder().parameterKey(key).usePreviousValue(true).build();
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
