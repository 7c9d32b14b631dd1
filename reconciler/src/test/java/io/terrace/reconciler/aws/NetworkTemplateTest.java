package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginPrefixList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.DesiredState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The network stack template as Terrace deploys it: its revision is the one the planner expects
 * (so a changed template reaches existing stacks as an update), no security group admits the
 * whole internet, and, for {@code scripts/cfn-lint}, each example environment's rendering (the
 * template with the parameters Terrace would pass as defaults) is written to
 * {@code target/cfn/<region>/<env>.json}.
 */
class NetworkTemplateTest {

    /**
     * The SHA-256 of network-stack.json at the current revision. A template change without a new
     * revision would never reach existing stacks: bump {@link DesiredState#NETWORK_TEMPLATE_REVISION}
     * and the template's {@code TemplateRevision} output, then record the new digest here.
     */
    private static final Map<Integer, String> DIGESTS = Map.of(
            2, "d11eec5087fbeab07c095f1dd1dfbf769e2a264458c90f265dbeb6f55fbd973e",
            3, "4a0be3555a8de014d26aceddfd839fe840f4c380748fa8aae17a30654ea2dd92",
            4, "61f0a7cfa2042fbbbffe3e642106fb438877639f3792777106e12d8bb7e7984d");

    /** Stands for the id looked up in the region at apply time ({@link OriginPrefixList}). */
    private static final String SAMPLE_PREFIX_LIST = "pl-4fa04526";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChangedTemplateHasANewRevision() throws NoSuchAlgorithmException {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(NetworkStacks.template().getBytes(StandardCharsets.UTF_8)));
        assertEquals(DIGESTS.get(DesiredState.NETWORK_TEMPLATE_REVISION), digest,
                "network-stack.json changed: bump DesiredState.NETWORK_TEMPLATE_REVISION and the TemplateRevision "
                        + "output, and record the new digest in NetworkTemplateTest");
        assertEquals(String.valueOf(DesiredState.NETWORK_TEMPLATE_REVISION),
                template().path("Outputs").path(NetworkStacks.TEMPLATE_REVISION_OUTPUT).path("Value").asText());
    }

    @Test
    void noSecurityGroupAdmitsTheWholeInternet() {
        List<String> open = new ArrayList<>();
        template().path("Resources").fields().forEachRemaining(e -> {
            JsonNode properties = e.getValue().path("Properties");
            List<JsonNode> rules = new ArrayList<>();
            properties.path("SecurityGroupIngress").forEach(rules::add);
            if (e.getValue().path("Type").asText().equals("AWS::EC2::SecurityGroupIngress")) {
                rules.add(properties);
            }
            rules.stream().filter(r -> r.path("CidrIp").asText().equals("0.0.0.0/0")
                    || r.path("CidrIpv6").asText().equals("::/0")).forEach(r -> open.add(e.getKey()));
        });
        assertEquals(List.of(), open);
        JsonNode alb = template().path("Resources").path("AlbSecurityGroup").path("Properties")
                .path("SecurityGroupIngress");
        assertEquals(1, alb.size(), "one rule: the CloudFront list weighs 55 of a group's 60 rules");
        assertEquals(NetworkStacks.ORIGIN_PREFIX_LIST_PARAMETER, alb.get(0).path("SourcePrefixListId").path("Ref").asText());
    }

    /**
     * Revision 4 changes only properties CloudFormation updates in place ("Update requires: No
     * interruption" for {@code AWS::EC2::Subnet.MapPublicIpOnLaunch} and
     * {@code AWS::EC2::VPCEndpoint.PolicyDocument}), and renames or removes no resource: a live
     * stack at revision 3 keeps its VPC, subnets, endpoints and load balancer.
     */
    @Test
    void revisionFourUpdatesRevisionThreeInPlace() throws IOException {
        JsonNode before;
        try (var in = NetworkTemplateTest.class.getResourceAsStream("network-stack-revision-3.json")) {
            before = JSON.readTree(in).path("Resources");
        }
        JsonNode after = template().path("Resources");
        List<String> removed = new ArrayList<>();
        before.fieldNames().forEachRemaining(id -> {
            if (!after.has(id)) {
                removed.add(id);
            }
        });
        assertEquals(List.of(), removed, "no resource of revision 3 is removed or renamed");
        Map<String, List<String>> changed = new java.util.TreeMap<>();
        after.fields().forEachRemaining(e -> {
            JsonNode old = before.path(e.getKey());
            assertEquals(old.path("Type"), e.getValue().path("Type"), e.getKey());
            List<String> properties = new ArrayList<>();
            java.util.Set<String> names = new java.util.TreeSet<>();
            old.path("Properties").fieldNames().forEachRemaining(names::add);
            e.getValue().path("Properties").fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!old.path("Properties").path(name).equals(e.getValue().path("Properties").path(name))) {
                    properties.add(name);
                }
            }
            if (!properties.isEmpty()) {
                changed.put(e.getKey(), properties);
            }
        });
        Map<String, List<String>> inPlace = new java.util.TreeMap<>();
        for (String subnet : List.of("PublicSubnetA", "PublicSubnetB")) {
            inPlace.put(subnet, List.of("MapPublicIpOnLaunch"));
        }
        for (String endpoint : List.of("S3Endpoint", "EcrApiEndpoint", "EcrDkrEndpoint", "LogsEndpoint",
                "SecretsManagerEndpoint", "SsmMessagesEndpoint")) {
            inPlace.put(endpoint, List.of("PolicyDocument"));
        }
        assertEquals(inPlace, changed);
    }

    @Test
    void publicSubnetsMapNoAddressAndEveryEndpointHasAPolicy() throws IOException {
        JsonNode resources = template().path("Resources");
        List<String> endpoints = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            JsonNode p = e.getValue().path("Properties");
            if (e.getValue().path("Type").asText().equals("AWS::EC2::Subnet")) {
                assertFalse(p.path("MapPublicIpOnLaunch").asBoolean(false), e.getKey() + " maps public addresses");
            }
            if (e.getValue().path("Type").asText().equals("AWS::EC2::VPCEndpoint")) {
                endpoints.add(e.getKey());
            }
        });
        assertEquals(6, endpoints.size());
        for (String id : endpoints) {
            JsonNode properties = resources.path(id).path("Properties");
            JsonNode policy = JSON.readTree(properties.path("PolicyDocument").path("Fn::Sub").asText());
            for (JsonNode statement : policy.path("Statement")) {
                assertEquals("Allow", statement.path("Effect").asText(), id);
                assertEquals("${AWS::AccountId}", statement.path("Condition").path("StringEquals")
                        .path("aws:PrincipalAccount").asText(), id + ": callers of the environment's account only");
            }
            if (properties.path("VpcEndpointType").asText().equals("Interface")) {
                assertEquals("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", policy.path("Statement").get(0)
                        .path("Principal").path("AWS").asText(), id);
            } else {
                assertEquals(List.of("arn:${AWS::Partition}:s3:::${AssetsBucket}",
                        "arn:${AWS::Partition}:s3:::${AssetsBucket}/*"),
                        JSON.convertValue(policy.path("Statement").get(0).path("Resource"), List.class), id);
            }
        }
    }

    @Test
    void rendersEachExampleEnvironmentForTheLinter() throws IOException {
        List<EnvironmentSpec> examples = SpecRepository.load(Path.of("..", "specs")).results().stream()
                .filter(r -> r instanceof SpecResult.Valid).map(r -> ((SpecResult.Valid) r).spec()).toList();
        assertFalse(examples.isEmpty());
        for (EnvironmentSpec spec : examples) {
            Resource stack = DesiredState.compile(spec, "render").stream()
                    .filter(r -> r.type() == ResourceType.NETWORK_STACK).findFirst().orElseThrow();
            ObjectNode rendered = template();
            ObjectNode parameters = (ObjectNode) rendered.get("Parameters");
            NetworkStacks.parameters(spec.name(), stack.attributes().get(NetworkStack.ZONES),
                    stack.attributes().get(NetworkStack.EGRESS), SAMPLE_PREFIX_LIST)
                    .forEach(p -> ((ObjectNode) parameters.get(p.parameterKey())).put("Default", p.parameterValue()));
            Path file = Path.of("target", "cfn", spec.region(), spec.name() + ".json");
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rendered);
            assertTrue(Files.size(file) > 0);
        }
    }

    private static ObjectNode template() {
        try {
            return (ObjectNode) JSON.readTree(NetworkStacks.template());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
