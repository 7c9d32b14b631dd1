package io.terrace.reconciler.aws.network;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;

import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * The network stack as Terrace reads it: the CloudFormation template and its parameters, and the
 * conversion of a described stack into an {@link ObservedResource} whose attributes are
 * {@code zones}, {@code egress}, {@code templateRevision} and {@code https} (a certificate is
 * passed: the HTTPS listener exists) (the managed ones) plus every stack output as
 * {@code outputs.<Name>} and the stack {@code status}.
 */
public final class NetworkStacks {

    /** Output names other components read; keep in step with network-stack.json. */
    public static final String VPC_ID = "VpcId";
    public static final String PUBLIC_SUBNET_IDS = "PublicSubnetIds";
    public static final String PRIVATE_SUBNET_IDS = "PrivateSubnetIds";
    public static final String ALB_SECURITY_GROUP_ID = "AlbSecurityGroupId";
    public static final String APP_SECURITY_GROUP_ID = "AppSecurityGroupId";
    public static final String DATA_SECURITY_GROUP_ID = "DataSecurityGroupId";
    public static final String LOAD_BALANCER_ARN = "LoadBalancerArn";
    public static final String LOAD_BALANCER_DNS_NAME = "LoadBalancerDnsName";
    public static final String WEB_TARGET_GROUP_ARN = "WebTargetGroupArn";
    public static final String TACHYON_TARGET_GROUP_ARN = "TachyonTargetGroupArn";
    public static final String LISTENER_ARN = "ListenerArn";

    public static final String HTTPS_LISTENER_ARN = "HttpsListenerArn";

    static final String ZONES_PARAMETER = "Zones";
    static final String EGRESS_PARAMETER = "Egress";
    public static final String ORIGIN_PREFIX_LIST_PARAMETER = "OriginPrefixList";
    /** The environment's assets bucket, the only one of the account the S3 endpoint's policy admits. */
    static final String ASSETS_BUCKET_PARAMETER = "AssetsBucket";
    /** The output naming the template's revision ({@code DesiredState.NETWORK_TEMPLATE_REVISION}). */
    public static final String TEMPLATE_REVISION_OUTPUT = "TemplateRevision";
    /** Read-only attribute: the prefix list id the stack was given. */
    public static final String ORIGIN_PREFIX_LIST = "originPrefixList";
    static final String CERTIFICATE_PARAMETER = "CertificateArn";
    static final String ORIGIN_SECRET_PARAMETER = "OriginSecret";
    static final String PREVIOUS_ORIGIN_SECRET_PARAMETER = "OriginSecretPrevious";
    private static final String TEMPLATE_RESOURCE = "network-stack.json";
    private static volatile String template;

    private NetworkStacks() {}

    /** The CloudFormation template (JSON) every network stack is created from. */
    public static String template() {
        if (template == null) {
            try (InputStream in = NetworkStacks.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + TEMPLATE_RESOURCE);
                }
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return template;
    }

    /** The attribute name under which an output is observed. */
    public static String output(String name) {
        return "outputs." + name;
    }

    /**
     * The stack parameters: zones, egress, the id of the region's CloudFront origin-facing prefix
     * list, and the environment's assets bucket (named in the S3 endpoint's policy).
     */
    public static List<Parameter> parameters(String env, Object zones, Object egress, String originPrefixList) {
        return List.of(parameter(ZONES_PARAMETER, String.valueOf(zones)),
                parameter(EGRESS_PARAMETER, String.valueOf(egress)),
                parameter(ORIGIN_PREFIX_LIST_PARAMETER, originPrefixList),
                parameter(ASSETS_BUCKET_PARAMETER, io.terrace.planner.ResourceNames.assetsBucket(env)));
    }

    private static Parameter parameter(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    /**
     * The stack as observed: {@code zones} and {@code egress} from its parameters (a stack from
     * before the {@code Egress} parameter has none), {@code templateRevision} from its output
     * (1 when the output is missing: the first template had none), every output, the prefix list
     * id and the status.
     */
    public static ObservedResource toObserved(String address, Stack stack) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Parameter p : stack.parameters()) {
            switch (p.parameterKey()) {
                case ZONES_PARAMETER -> attributes.put(NetworkStack.ZONES, Integer.parseInt(p.parameterValue()));
                case EGRESS_PARAMETER -> attributes.put(NetworkStack.EGRESS, p.parameterValue());
                case ORIGIN_PREFIX_LIST_PARAMETER -> attributes.put(ORIGIN_PREFIX_LIST, p.parameterValue());
                // A stack from a template without the parameter has no https at all, so the plan updates
                // it to the current template (listeners, rules, origin secret) even without aliases.
                case CERTIFICATE_PARAMETER -> attributes.put(NetworkStack.HTTPS,
                        p.parameterValue() != null && !p.parameterValue().isBlank());
                default -> { }
            }
        }
        attributes.put(NetworkStack.TEMPLATE_REVISION, stack.outputs().stream()
                .filter(o -> o.outputKey().equals(TEMPLATE_REVISION_OUTPUT))
                .findFirst()
                .map(o -> Integer.parseInt(o.outputValue()))
                .orElse(1));
        stack.outputs().forEach(o -> attributes.put(output(o.outputKey()), o.outputValue()));
        attributes.put("status", stack.stackStatusAsString());
        Map<String, String> tags = new LinkedHashMap<>();
        stack.tags().forEach(t -> tags.put(t.key(), t.value()));
        return new ObservedResource(address, ResourceType.NETWORK_STACK, stack.stackId(), attributes, tags);
    }

    /** The stack by name, absent when it does not exist (or only as a deleted stack). */
    public static Optional<Stack> describe(AwsClients aws, String nameOrId) {
        try {
            return aws.cloudFormation.describeStacks(r -> r.stackName(nameOrId)).stacks().stream()
                    .filter(s -> s.stackStatus() != StackStatus.DELETE_COMPLETE)
                    .findFirst();
        } catch (CloudFormationException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static boolean isMissing(CloudFormationException e) {
        return e.statusCode() == 400 && e.getMessage() != null && e.getMessage().contains("does not exist");
    }

    /**
     * The outputs of an environment's network stack: from the live state the apply already holds,
     * else read once from CloudFormation.
     */
    public static Map<String, String> outputs(AwsClients aws, String env, DriverContext context) {
        Optional<ObservedResource> live = context.live(Addresses.networkStack(env))
                .filter(r -> r.attributes().containsKey(output(VPC_ID)));
        ObservedResource stack = live.orElseGet(() -> describe(aws, io.terrace.planner.ResourceNames.networkStack(env))
                .map(s -> toObserved(Addresses.networkStack(env), s))
                .orElseThrow(() -> new IllegalStateException("the network stack of " + env + " does not exist yet")));
        Map<String, String> out = new LinkedHashMap<>();
        stack.attributes().forEach((k, v) -> {
            if (k.startsWith("outputs.")) {
                out.put(k.substring("outputs.".length()), String.valueOf(v));
            }
        });
        if (!out.containsKey(VPC_ID)) {
            throw new IllegalStateException("the network stack of " + env + " has no outputs (status "
                    + stack.attributes().get("status") + ")");
        }
        out.put(ZONES_PARAMETER, String.valueOf(stack.attributes().getOrDefault(NetworkStack.ZONES, 1)));
        return out;
    }
}
