package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.cloudfront.CloudFrontConfig;
import io.terrace.reconciler.aws.cloudfront.CloudFrontLive;
import io.terrace.reconciler.aws.rds.RdsLive;

import io.terrace.planner.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;

/**
 * Replaces an environment's origin secret without refusing a single request CloudFront forwards:
 * <ol>
 * <li>the load balancer's rules accept the value CloudFront sends now <em>and</em> a new one
 * (stack parameters {@code OriginSecret}=new, {@code OriginSecretPrevious}=old);</li>
 * <li>Secrets Manager holds the new value;</li>
 * <li>CloudFront sends the new value (and the deployment completes);</li>
 * <li>the rules accept the new value only.</li>
 * </ol>
 * The old value is read from the distribution itself, so a rotation interrupted at any step is
 * finished by running it again; the secret carries {@link OriginSecrets#ROTATING_TAG} from before
 * the first step to after the last, so the daemon's check finds an interrupted one. Values are never printed.
 */
public final class OriginSecretRotation {

    private final AwsClients aws;
    private final Consumer<String> progress;
    private final Duration timeout;
    private final Duration poll;

    public OriginSecretRotation(AwsClients aws, Consumer<String> progress, Duration timeout, Duration poll) {
        this.aws = aws;
        this.progress = progress;
        this.timeout = timeout;
        this.poll = poll;
    }

    public void rotate(String env) {
        String stack = ResourceNames.networkStack(env);
        NetworkStacks.describe(aws, stack).orElseThrow(() -> new IllegalStateException(
                "the network stack " + stack + " of " + env + " does not exist"));
        Map<String, Map<String, String>> tags = new HashMap<>();
        Optional<String> distribution = CloudFrontLive.tagged(aws, List.of(env), tags)
                .getOrDefault(CloudFrontConfig.comment(env), List.of()).stream()
                .filter(v -> RdsLive.isTerrace(env, tags.getOrDefault(v.arn(), Map.of())))
                .map(CloudFrontLive.View::id).findFirst();
        String old = distribution.flatMap(this::sentBy).or(() -> OriginSecrets.current(aws.secretsManager, env))
                .orElseThrow(() -> new IllegalStateException("no origin secret of " + env + " to rotate: "
                        + OriginSecrets.name(env) + " does not exist"));
        String next = OriginSecrets.newValue();
        OriginSecrets.markRotating(aws.secretsManager, env);

        progress.accept("1/4 the load balancer of " + env + " accepts the current and a new origin secret");
        updateStack(stack, next, old);
        progress.accept("2/4 " + OriginSecrets.name(env) + " holds the new value");
        OriginSecrets.put(aws.secretsManager, env, next);
        if (distribution.isPresent()) {
            progress.accept("3/4 CloudFront distribution " + distribution.get() + " sends the new value");
            send(distribution.get(), next);
        } else {
            progress.accept("3/4 no distribution of " + env + ": whoever sends " + OriginSecrets.HEADER
                    + " must read the new value from " + OriginSecrets.name(env));
        }
        progress.accept("4/4 the load balancer of " + env + " accepts the new origin secret only");
        updateStack(stack, null, "");
        OriginSecrets.markRotated(aws.secretsManager, env);
    }

    /** The value the distribution sends now. */
    private Optional<String> sentBy(String id) {
        return terraceOrigin(aws.cloudFront.getDistributionConfig(r -> r.id(id)).distributionConfig())
                .filter(o -> o.customHeaders() != null && o.customHeaders().hasItems())
                .flatMap(o -> o.customHeaders().items().stream()
                        .filter(h -> OriginSecrets.HEADER.equalsIgnoreCase(h.headerName())).findFirst())
                .map(h -> h.headerValue());
    }

    private static Optional<Origin> terraceOrigin(DistributionConfig c) {
        return c.origins().items().stream().filter(o -> CloudFrontConfig.ORIGIN_ID.equals(o.id())).findFirst();
    }

    private void send(String id, String value) {
        GetDistributionConfigResponse current = aws.cloudFront.getDistributionConfig(r -> r.id(id));
        DistributionConfig have = current.distributionConfig();
        List<Origin> origins = new ArrayList<>();
        for (Origin o : have.origins().items()) {
            origins.add(!CloudFrontConfig.ORIGIN_ID.equals(o.id()) ? o : o.toBuilder()
                    .customHeaders(h -> h.quantity(1).items(i -> i.headerName(OriginSecrets.HEADER).headerValue(value)))
                    .build());
        }
        DistributionConfig want = have.toBuilder().origins(o -> o.quantity(origins.size()).items(origins)).build();
        aws.cloudFront.updateDistribution(r -> r.id(id).ifMatch(current.eTag()).distributionConfig(want));
        await("distribution " + id + " deployed", () -> CloudFrontLive.distribution(aws.cloudFront, id)
                .filter(d -> "Deployed".equals(d.status())).isPresent());
    }

    /**
     * An UpdateStack with the previous template and the parameters the network driver sets kept but the origin secret's:
     * {@code secret} null keeps the current one.
     */
    private void updateStack(String name, String secret, String previous) {
        Stack live = NetworkStacks.describe(aws, name).orElseThrow();
        List<Parameter> parameters = new ArrayList<>();
        for (Parameter p : live.parameters()) {
            String key = p.parameterKey();
            if (key.equals(NetworkStacks.ORIGIN_SECRET_PARAMETER) && secret != null) {
                parameters.add(Parameter.builder().parameterKey(key).parameterValue(secret).build());
            } else if (key.equals(NetworkStacks.PREVIOUS_ORIGIN_SECRET_PARAMETER)) {
                parameters.add(Parameter.builder().parameterKey(key).parameterValue(previous).build());
            } else if (key.equals(NetworkStacks.ORIGIN_SECRET_PARAMETER)) {
                parameters.add(Parameter.builder().parameterKey(key).usePreviousValue(true).build());
            } else {
                // Zones, egress, the prefix list and the certificate stay as they are.
                parameters.add(Parameter.builder().parameterKey(key).parameterValue(p.parameterValue()).build());
            }
        }
        aws.cloudFormation.updateStack(r -> r.stackName(name).usePreviousTemplate(true).parameters(parameters));
        await("stack " + name + " updated", () -> {
            Stack s = NetworkStacks.describe(aws, name).orElseThrow();
            if (s.stackStatus() == StackStatus.UPDATE_COMPLETE) {
                return true;
            }
            if (s.stackStatusAsString().endsWith("_IN_PROGRESS")) {
                return false;
            }
            throw new IllegalStateException("stack " + name + " ended in " + s.stackStatusAsString()
                    + Optional.ofNullable(s.stackStatusReason()).map(r -> ": " + r).orElse(""));
        });
    }

    private void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
