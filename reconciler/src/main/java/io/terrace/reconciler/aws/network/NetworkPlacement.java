package io.terrace.reconciler.aws.network;

import io.terrace.planner.ObservedResource;
import io.terrace.reconciler.engine.DriverContext;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where an environment's data services live, read from the outputs of its network stack
 * ({@code <env>/network/stack}, observed attributes {@code outputs.<Name>}): the private subnets
 * and the data security group, plus any other output a driver needs (the load balancer's DNS name
 * for the CDN).
 */
public record NetworkPlacement(String environment, ObservedResource stack) {

    public static NetworkPlacement of(String environment, DriverContext context) {
        String address = environment + "/network/stack";
        ObservedResource stack = context.live(address).orElseThrow(() -> new IllegalStateException(
                address + " is not live: apply the network before the services that run inside it"));
        return new NetworkPlacement(environment, stack);
    }

    public List<String> privateSubnetIds() {
        return Arrays.stream(output("PrivateSubnetIds").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String dataSecurityGroupId() {
        return output("DataSecurityGroupId");
    }

    public String output(String name) {
        return optionalOutput(name).orElseThrow(() -> new IllegalStateException(
                stack.address() + " has no output " + name + " (stack " + stack.id() + ")"));
    }

    public Optional<String> optionalOutput(String name) {
        Object value = stack.attributes().get("outputs." + name);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
    }
}
