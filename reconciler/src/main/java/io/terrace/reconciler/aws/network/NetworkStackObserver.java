package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Finds every environment's network stack in one paged DescribeStacks sweep of the region (no
 * stack name: each page carries many stacks with their parameters, outputs and tags; a
 * {@linkplain ServiceObserver#FEW few} environments' stacks are described by name), and reads
 * the resource policy of each one's origin secret ({@link OriginSecretPolicy}) and the
 * attributes of its load balancer ({@link LoadBalancerAttributes}).
 */
public final class NetworkStackObserver implements ServiceObserver {

    private final AwsClients aws;
    private final DetailReads details;

    public NetworkStackObserver(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where the detail reads are kept between observes */
    public NetworkStackObserver(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByStack = new HashMap<>();
        environments.forEach(env -> envByStack.put(ResourceNames.networkStack(env), env));
        List<ObservedResource> out = new ArrayList<>();
        if (envByStack.isEmpty()) {
            return out;
        }
        for (Stack stack : stacks(envByStack.keySet())) {
            String env = envByStack.get(stack.stackName());
            if (env != null && stack.stackStatus() != StackStatus.DELETE_COMPLETE) {
                ObservedResource observed = NetworkStacks.toObserved(Addresses.networkStack(env), stack);
                if (details.waiting(env)) {
                    out.add(observed.withDetailsUnread(List.of()));
                    continue;
                }
                // One GetResourcePolicy per environment: no Secrets Manager call reads policies in bulk.
                Map<String, Object> attributes = new HashMap<>(observed.attributes());
                details.read(env, "origin-secret-policy", stack.lastUpdatedTime(),
                        () -> OriginSecretPolicy.observe(aws, env)).ifPresent(p -> attributes.put(
                        io.terrace.planner.AttributeKeys.NetworkStack.ORIGIN_SECRET_POLICY, p));
                // One DescribeLoadBalancerAttributes per environment (ELBv2 reads them one load
                // balancer at a time), kept between observes like the other detail reads.
                Object loadBalancer = attributes.get(NetworkStacks.output(NetworkStacks.LOAD_BALANCER_ARN));
                if (loadBalancer != null) {
                    attributes.putAll(details.read(env, "lb-attributes", loadBalancer,
                            () -> LoadBalancerAttributes.observe(aws, loadBalancer.toString())));
                }
                out.add(new ObservedResource(observed.address(), observed.type(), observed.id(), attributes,
                        observed.tags()));
            }
        }
        return out;
    }

    /** A few environments' stacks by name, one DescribeStacks each; else the region's, paged. */
    private Iterable<Stack> stacks(Collection<String> names) {
        if (!ServiceObserver.few(names)) {
            return aws.cloudFormation.describeStacksPaginator(r -> { }).stacks();
        }
        return names.stream().sorted().flatMap(name -> NetworkStacks.describe(aws, name).stream()).toList();
    }
}
