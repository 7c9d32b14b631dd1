package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
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
 * stack name: each page carries many stacks with their parameters, outputs and tags).
 */
public final class NetworkStackObserver implements ServiceObserver {

    private final AwsClients aws;

    public NetworkStackObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByStack = new HashMap<>();
        environments.forEach(env -> envByStack.put(ResourceNames.networkStack(env), env));
        List<ObservedResource> out = new ArrayList<>();
        if (envByStack.isEmpty()) {
            return out;
        }
        for (Stack stack : aws.cloudFormation.describeStacksPaginator(r -> { }).stacks()) {
            String env = envByStack.get(stack.stackName());
            if (env != null && stack.stackStatus() != StackStatus.DELETE_COMPLETE) {
                out.add(NetworkStacks.toObserved(Addresses.networkStack(env), stack));
            }
        }
        return out;
    }
}
