package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginPrefixList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.Action;
import io.terrace.planner.AttributeKeys.NetworkStack;
import io.terrace.planner.Change;
import io.terrace.planner.DesiredState;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.Egress;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Egress and the load balancer's door, against moto: the network stack of every example
 * environment gives its private subnets a default route to a NAT gateway in a public subnet (one
 * per zone when multi-az), or the interface endpoints the containers need plus the S3 gateway;
 * the load balancer's security group admits no 0.0.0.0/0, only CloudFront's origin-facing prefix
 * list; a stack made from the first template is planned for an update and brought to the current
 * one; a deleted stack took its NAT gateways and endpoints with it (as far as moto can tell).
 * Everything is read back with separate CloudFormation, EC2 and ELBv2 clients.
 */
@NeedsMoto
class NetworkEgressIT {

    private static final List<String> INTERFACE_SERVICES = List.of("ecr.api", "ecr.dkr", "logs", "secretsmanager",
            "ssmmessages");

    private AwsClients aws;
    private AwsClients check;
    private AwsObserver observer;
    private PlanExecutor executor;

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        check = Moto.clients();
        observer = new AwsObserver(aws);
        executor = Drivers.executor(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        check.close();
    }

    @Test
    void everyExampleEnvironmentsPrivateSubnetsRouteToANatGatewayPerZone() {
        List<EnvironmentSpec> examples = SpecRepository.load(Path.of("..", "specs")).results().stream()
                .filter(r -> r instanceof SpecResult.Valid).map(r -> ((SpecResult.Valid) r).spec()).toList();
        assertEquals(5, examples.size(), "the example environments");
        for (EnvironmentSpec spec : examples) {
            applyNetwork(spec);
            Map<String, String> out = outputs(spec.name());
            if (spec.network().egress() == Egress.NAT) {
                assertNatEgress(spec, out);
            } else {
                assertEndpointEgress(spec, out);
            }
            assertOnlyCloudFrontReachesTheLoadBalancer(spec.name(), out);
            assertPublicSubnetsMapNoAddress(spec.name(), out);
            assertEquals(List.of(), pending(spec), spec.name() + ": steady state after apply");
        }
    }

    @Test
    void endpointEgressHasTheInterfaceEndpointsInTheUsedZonesAndNoDefaultRoute() {
        for (EnvironmentSpec spec : List.of(withEndpoints(TestSpecs.standard("locked-down")),
                withEndpoints(TestSpecs.businessProduction("locked-down-ha")))) {
            applyNetwork(spec);
            Map<String, String> out = outputs(spec.name());
            assertEndpointEgress(spec, out);
            assertOnlyCloudFrontReachesTheLoadBalancer(spec.name(), out);
            assertEquals(List.of(), pending(spec), spec.name() + ": steady state after apply");
        }
    }

    @Test
    void aStackFromTheFirstTemplateIsPlannedAndUpdatedToTheCurrentOne() throws IOException {
        EnvironmentSpec spec = TestSpecs.standard("legacy");
        String name = ResourceNames.networkStack(spec.name());
        Resource desired = networkOf(spec);
        String firstTemplate = revisionOneTemplate();
        check.cloudFormation.createStack(r -> r.stackName(name).templateBody(firstTemplate)
                .parameters(p -> p.parameterKey("Zones").parameterValue("1"))
                .tags(desired.tags().entrySet().stream()
                        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));

        assertEquals(List.of(NetworkStack.ACCESS_LOGS + ": off -> legacy/alb",
                NetworkStack.DROP_INVALID_HEADER_FIELDS + ": false -> true",
                NetworkStack.EGRESS + ": null -> nat", NetworkStack.ORIGIN_SECRET_POLICY + ": null -> restricted",
                NetworkStack.TEMPLATE_REVISION + ": 1 -> " + DesiredState.NETWORK_TEMPLATE_REVISION), pending(spec),
                "the plan shows the new template, the origin secret the first template had not, and the load"
                        + " balancer's attributes");

        applyNetwork(spec);

        Stack stack = check.cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0);
        assertEquals("UPDATE_COMPLETE", stack.stackStatusAsString());
        assertEquals(Map.of("Zones", "1", "Egress", "nat", "OriginPrefixList", OriginPrefixList.id(check.ec2),
                "VpcCidr", "10.0.0.0/16", "AssetsBucket", ResourceNames.assetsBucket(spec.name())),
                stack.parameters().stream().filter(p -> !p.parameterKey().startsWith("OriginSecret")
                                && !p.parameterKey().equals("CertificateArn"))
                        .collect(Collectors.toMap(p -> p.parameterKey(), p -> p.parameterValue())));
        // moto loses the ids of the subnets the update changed (docs/aws.md): the gateway's
        // placement in a public subnet is checked on created stacks only.
        assertNatEgress(spec, outputs(spec.name()), false);
        assertEquals(List.of(), pending(spec), "steady state after the update");
    }

    @Test
    void aStackFromRevisionThreeIsUpdatedInPlaceToTheCurrentTemplate() throws IOException {
        EnvironmentSpec spec = withEndpoints(TestSpecs.standard("revision-three"));
        String name = ResourceNames.networkStack(spec.name());
        Resource desired = networkOf(spec);
        String revisionThree = templateResource("network-stack-revision-3.json");
        // A revision-3 environment has its origin secret, without a resource policy.
        io.terrace.reconciler.aws.network.OriginSecrets.ensure(check.secretsManager, spec.name(), desired.tags());
        check.cloudFormation.createStack(r -> r.stackName(name).templateBody(revisionThree)
                .parameters(List.of(parameter("Zones", "1"), parameter("Egress", "endpoints"),
                        parameter("OriginPrefixList", OriginPrefixList.id(check.ec2)),
                        parameter("OriginSecret", io.terrace.reconciler.aws.network.OriginSecrets.newValue()),
                        parameter("OriginSecretPrevious", ""), parameter("CertificateArn", "")))
                .tags(desired.tags().entrySet().stream()
                        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
        String stackId = check.cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0).stackId();
        String vpc = outputs(spec.name()).get(NetworkStacks.VPC_ID);

        ObservedResource live = observer.observe(List.of(spec.name())).get(desired.address()).orElseThrow();
        io.terrace.planner.ResourceDiff diff = io.terrace.planner.ResourceDiff.of(desired, live);
        assertEquals(Action.UPDATE, diff.action(), "revision 4 reaches a live stack as an update, never a replacement");
        assertEquals(List.of(NetworkStack.ACCESS_LOGS + ": off -> revision-three/alb",
                NetworkStack.DROP_INVALID_HEADER_FIELDS + ": false -> true",
                NetworkStack.ORIGIN_SECRET_POLICY + ": none -> restricted",
                NetworkStack.TEMPLATE_REVISION + ": 3 -> " + DesiredState.NETWORK_TEMPLATE_REVISION), pending(spec));

        applyNetwork(spec);

        Stack stack = check.cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0);
        assertEquals(stackId, stack.stackId(), "the same stack");
        assertEquals("UPDATE_COMPLETE", stack.stackStatusAsString());
        assertEquals(vpc, outputs(spec.name()).get(NetworkStacks.VPC_ID), "the same VPC");
        assertEquals(String.valueOf(DesiredState.NETWORK_TEMPLATE_REVISION),
                outputs(spec.name()).get(NetworkStacks.TEMPLATE_REVISION_OUTPUT));
        assertEquals(ResourceNames.assetsBucket(spec.name()), stack.parameters().stream()
                .filter(p -> p.parameterKey().equals("AssetsBucket")).findFirst().orElseThrow().parameterValue());
        JsonNode resources = template(stack.stackId()).path("Resources");
        assertEquals("false", resources.path("PublicSubnetA").path("Properties").path("MapPublicIpOnLaunch").asText());
        assertTrue(resources.path("LogsEndpoint").path("Properties").has("PolicyDocument"), "the stack runs revision 4");
        // moto's UpdateStack applies neither the subnets' nor the endpoints' new properties (it has
        // no update for either, and then reports the subnets' ids as None: docs/aws.md), so what
        // the subnets and endpoints became is checked on created stacks only; that both changes
        // are in-place updates on AWS is NetworkTemplateTest's.
        assertEquals(List.of(), pending(spec), "steady state after the update");
    }

    @Test
    void deletingTheStackTakesItsNatGatewaysAddressesAndEndpoints() {
        EnvironmentSpec nat = TestSpecs.businessProduction("leaving");
        EnvironmentSpec endpoints = withEndpoints(TestSpecs.standard("leaving-too"));
        for (EnvironmentSpec spec : List.of(nat, endpoints)) {
            applyNetwork(spec);
            String stackId = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(
                    spec.name()))).stacks().get(0).stackId();
            String vpc = outputs(spec.name()).get(NetworkStacks.VPC_ID);
            // What DeleteStack removes on AWS: everything the stack created, which carries its id.
            List<NatGateway> gateways = natGateways(vpc);
            List<VpcEndpoint> vpcEndpoints = endpoints(vpc);
            assertFalse(gateways.isEmpty() && vpcEndpoints.size() <= 1, spec.name() + ": egress was built");
            gateways.forEach(g -> assertEquals(stackId, tag(g.tags(), "aws:cloudformation:stack-id"), g.natGatewayId()));
            vpcEndpoints.forEach(e -> assertEquals(stackId, tag(e.tags(), "aws:cloudformation:stack-id"),
                    e.vpcEndpointId()));
            Set<String> stackAddresses = check.cloudFormation.describeStackResources(r -> r.stackName(stackId))
                    .stackResources().stream().filter(r -> "AWS::EC2::EIP".equals(r.resourceType()))
                    .map(r -> r.physicalResourceId()).collect(Collectors.toSet());
            assertEquals(stackAddresses, gateways.stream().flatMap(g -> g.natGatewayAddresses().stream())
                    .map(a -> a.publicIp()).collect(Collectors.toSet()), "each gateway's address is the stack's");

            ObservedState live = observer.observe(List.of(spec.name()));
            Resource network = networkOf(spec);
            EnvironmentPlan delete = new EnvironmentPlan(spec.name(), Optional.empty(), Optional.empty(), "rev2",
                    Optional.empty(), List.of(new Change(network.address(), network.type(), Action.DELETE, List.of(),
                    Optional.empty(), live.get(network.address()), "decommissioned", Optional.empty())),
                    List.of(List.of(network.address())), List.of());
            ApplyResult result = executor.apply(delete, StopSignal.NEVER);

            assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + result.steps());
            assertTrue(check.cloudFormation.describeStacks().stacks().stream()
                    .noneMatch(s -> s.stackId().equals(stackId) && !s.stackStatusAsString().equals("DELETE_COMPLETE")));
            // moto's DeleteStack leaves NAT gateways, addresses and endpoints behind (docs/aws.md), so
            // whether they are gone can only be checked on AWS.
        }
    }

    private void assertNatEgress(EnvironmentSpec spec, Map<String, String> out) {
        assertNatEgress(spec, out, true);
    }

    private void assertNatEgress(EnvironmentSpec spec, Map<String, String> out, boolean publicSubnetsKnown) {
        String vpc = out.get(NetworkStacks.VPC_ID);
        List<String> publicSubnets = List.of(out.get(NetworkStacks.PUBLIC_SUBNET_IDS).split(","));
        List<String> privateSubnets = List.of(out.get(NetworkStacks.PRIVATE_SUBNET_IDS).split(","));
        Map<String, NatGateway> gateways = new HashMap<>();
        natGateways(vpc).forEach(g -> gateways.put(g.natGatewayId(), g));
        int zones = spec.availability().isMultiAz() ? 2 : 1;
        assertEquals(zones, gateways.size(), spec.name() + ": one NAT gateway per zone used");
        List<String> used = new ArrayList<>();
        for (int i = 0; i < privateSubnets.size(); i++) {
            RouteTable table = routeTableOf(spec.name(), privateSubnets.get(i), i);
            String gatewayId = defaultRoute(table).map(Route::natGatewayId).orElse(null);
            assertNotNull(gatewayId, spec.name() + ": private subnet " + i + " has a default route to a NAT gateway");
            NatGateway gateway = gateways.get(gatewayId);
            assertNotNull(gateway, spec.name() + ": the route's NAT gateway is in the VPC");
            assertEquals("available", gateway.stateAsString());
            assertTrue(!publicSubnetsKnown || publicSubnets.contains(gateway.subnetId()),
                    "the NAT gateway sits in a public subnet");
            assertFalse(gateway.natGatewayAddresses().isEmpty() || gateway.natGatewayAddresses().get(0).allocationId() == null,
                    "the NAT gateway has an Elastic IP");
            if (zones == 2 && publicSubnetsKnown) {
                assertEquals(publicSubnets.get(i), gateway.subnetId(), "each zone's subnet uses its own zone's gateway");
            }
            used.add(gatewayId);
        }
        assertEquals(zones, new TreeSet<>(used).size());
        assertTrue(endpoints(vpc).stream().allMatch(e -> e.vpcEndpointTypeAsString().equals("Gateway")),
                spec.name() + ": NAT egress has no interface endpoints");
        assertS3Gateway(spec.name(), vpc, privateSubnets);
    }

    private void assertEndpointEgress(EnvironmentSpec spec, Map<String, String> out) {
        String vpc = out.get(NetworkStacks.VPC_ID);
        List<String> privateSubnets = List.of(out.get(NetworkStacks.PRIVATE_SUBNET_IDS).split(","));
        int zones = spec.availability().isMultiAz() ? 2 : 1;
        assertTrue(natGateways(vpc).isEmpty(), spec.name() + ": endpoint egress has no NAT gateway");
        for (int i = 0; i < privateSubnets.size(); i++) {
            assertTrue(defaultRoute(routeTableOf(spec.name(), privateSubnets.get(i), i)).isEmpty(),
                    spec.name() + ": no default route out of private subnet " + i);
        }
        Map<String, VpcEndpoint> interfaces = new HashMap<>();
        endpoints(vpc).stream().filter(e -> e.vpcEndpointTypeAsString().equals("Interface"))
                .forEach(e -> interfaces.put(e.serviceName(), e));
        assertEquals(INTERFACE_SERVICES.stream().map(s -> "com.amazonaws." + Moto.REGION.id() + "." + s)
                .collect(Collectors.toCollection(TreeSet::new)), new TreeSet<>(interfaces.keySet()));
        Set<String> endpointGroups = new TreeSet<>();
        for (VpcEndpoint e : interfaces.values()) {
            assertEquals(privateSubnets.subList(0, zones), e.subnetIds(), e.serviceName() + " in the zones used");
            assertTrue(e.privateDnsEnabled(), e.serviceName() + " answers under the service's own name");
            e.groups().forEach(g -> endpointGroups.add(g.groupId()));
        }
        assertEquals(1, endpointGroups.size(), "one security group for the endpoints");
        for (VpcEndpoint e : interfaces.values()) {
            JsonNode statements = policy(e).path("Statement");
            assertEquals(1, statements.size(), e.serviceName() + ": " + statements);
            JsonNode only = statements.get(0);
            assertEquals("Allow", only.path("Effect").asText());
            assertEquals("arn:aws:iam::" + Moto.ACCOUNT + ":root", only.path("Principal").path("AWS").asText(),
                    e.serviceName() + ": principals of the account only");
            assertEquals(Moto.ACCOUNT, only.path("Condition").path("StringEquals").path("aws:PrincipalAccount").asText(),
                    e.serviceName() + ": callers of the account only");
        }
        SecurityGroup group = check.ec2.describeSecurityGroups(r -> r.groupIds(endpointGroups)).securityGroups().get(0);
        assertEquals(1, group.ipPermissions().size(), "the endpoints admit one thing: " + group.ipPermissions());
        IpPermission https = group.ipPermissions().get(0);
        assertEquals(List.of(443, 443), List.of(https.fromPort(), https.toPort()));
        assertTrue(https.ipRanges().isEmpty() && https.prefixListIds().isEmpty(), "no address range: " + https);
        assertEquals(List.of(out.get(NetworkStacks.APP_SECURITY_GROUP_ID)),
                https.userIdGroupPairs().stream().map(p -> p.groupId()).toList(), "HTTPS from the containers only");
        assertS3Gateway(spec.name(), vpc, privateSubnets);
    }

    private void assertS3Gateway(String env, String vpc, List<String> privateSubnets) {
        List<VpcEndpoint> s3 = endpoints(vpc).stream()
                .filter(e -> e.serviceName().equals("com.amazonaws." + Moto.REGION.id() + ".s3")).toList();
        assertEquals(1, s3.size(), env + ": one S3 gateway endpoint");
        Set<String> tables = new TreeSet<>();
        for (int i = 0; i < privateSubnets.size(); i++) {
            tables.add(routeTableOf(env, privateSubnets.get(i), i).routeTableId());
        }
        assertEquals(tables, new TreeSet<>(s3.get(0).routeTableIds()), env + ": the S3 gateway is on the private routes");
        JsonNode statements = policy(s3.get(0)).path("Statement");
        Map<String, List<String>> resources = new java.util.TreeMap<>();
        for (JsonNode st : statements) {
            assertEquals("Allow", st.path("Effect").asText());
            assertEquals(Moto.ACCOUNT, st.path("Condition").path("StringEquals").path("aws:PrincipalAccount").asText(),
                    env + ": callers of the account only: " + st);
            List<String> arns = new ArrayList<>();
            if (st.path("Resource").isArray()) {
                st.path("Resource").forEach(r -> arns.add(r.asText()));
            } else {
                arns.add(st.path("Resource").asText());
            }
            resources.put(st.path("Sid").asText(), arns);
        }
        String bucket = ResourceNames.assetsBucket(env);
        assertEquals(Map.of("EnvironmentBucket", List.of("arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"),
                "EcrImageLayers", List.of("arn:aws:s3:::prod-" + Moto.REGION.id() + "-starport-layer-bucket/*")),
                resources, env + ": the S3 endpoint reaches the environment's bucket and ECR's layers only");
    }

    /**
     * The public subnets hand out no public address, as the template the stack runs says: moto's
     * CloudFormation ignores {@code MapPublicIpOnLaunch} and maps public addresses in the first
     * subnet of each zone whatever the template (docs/aws.md), so {@code DescribeSubnets} cannot
     * tell here.
     */
    private void assertPublicSubnetsMapNoAddress(String env, Map<String, String> out) {
        Stack stack = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(env)))
                .stacks().get(0);
        JsonNode resources = template(stack.stackId()).path("Resources");
        for (String subnet : List.of("PublicSubnetA", "PublicSubnetB")) {
            assertEquals("false", resources.path(subnet).path("Properties").path("MapPublicIpOnLaunch").asText(),
                    env + ": " + subnet + " in the stack's template");
        }
    }

    private static JsonNode policy(VpcEndpoint e) {
        try {
            return new ObjectMapper().readTree(e.policyDocument());
        } catch (IOException ex) {
            throw new AssertionError(e.serviceName() + ": the endpoint policy is not JSON: " + e.policyDocument(), ex);
        }
    }

    private static software.amazon.awssdk.services.cloudformation.model.Parameter parameter(String key, String value) {
        return software.amazon.awssdk.services.cloudformation.model.Parameter.builder().parameterKey(key)
                .parameterValue(value).build();
    }

    private void assertOnlyCloudFrontReachesTheLoadBalancer(String env, Map<String, String> out) {
        String group = out.get(NetworkStacks.ALB_SECURITY_GROUP_ID);
        String prefixList = OriginPrefixList.id(check.ec2);
        assertEquals(List.of(group), check.elb.describeLoadBalancers(r -> r.loadBalancerArns(
                out.get(NetworkStacks.LOAD_BALANCER_ARN))).loadBalancers().get(0).securityGroups());
        for (IpPermission p : check.ec2.describeSecurityGroups(r -> r.groupIds(group)).securityGroups().get(0)
                .ipPermissions()) {
            assertTrue(p.ipRanges().isEmpty() && p.ipv6Ranges().isEmpty() && p.userIdGroupPairs().isEmpty(),
                    env + ": the load balancer admits no address range: " + p);
            assertEquals(List.of(prefixList), p.prefixListIds().stream().map(l -> l.prefixListId()).toList());
        }
        // moto's CloudFormation does not create prefix-list rules (docs/aws.md): what the stack was
        // asked for is read from its template and parameters instead.
        Stack stack = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(env)))
                .stacks().get(0);
        assertEquals(prefixList, stack.parameters().stream().filter(p -> p.parameterKey().equals("OriginPrefixList"))
                .findFirst().orElseThrow().parameterValue(), env + ": the region's CloudFront list is passed");
        JsonNode ingress = template(stack.stackId()).path("Resources").path("AlbSecurityGroup").path("Properties")
                .path("SecurityGroupIngress");
        assertEquals(1, ingress.size(), "one rule: " + ingress);
        assertEquals("OriginPrefixList", ingress.get(0).path("SourcePrefixListId").path("Ref").asText());
        assertFalse(ingress.get(0).has("CidrIp") || ingress.get(0).has("CidrIpv6"));
        assertEquals(List.of(80, 443), List.of(ingress.get(0).path("FromPort").asInt(),
                ingress.get(0).path("ToPort").asInt()), "the listener ports");
    }

    private JsonNode template(String stackId) {
        try {
            return new ObjectMapper().readTree(check.cloudFormation.getTemplate(r -> r.stackName(stackId)).templateBody());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The route table of a private subnet: its association on AWS. moto does not list the
     * associations CloudFormation makes (docs/aws.md), so there it is the stack's
     * {@code PrivateRouteTableA}/{@code B} by their logical-id tag; moto does not tag what a stack
     * update adds either, so for such a stack it is the VPC's private tables (neither main nor
     * routed to the internet gateway) in id order, which is enough for a single-zone environment.
     */
    private RouteTable routeTableOf(String env, String subnet, int index) {
        List<RouteTable> associated = check.ec2.describeRouteTables(r -> r.filters(
                Filter.builder().name("association.subnet-id").values(subnet).build())).routeTables();
        if (!associated.isEmpty()) {
            return associated.get(0);
        }
        String vpc = outputs(env).get(NetworkStacks.VPC_ID);
        List<RouteTable> tables = check.ec2.describeRouteTables(r -> r.filters(
                Filter.builder().name("vpc-id").values(vpc).build())).routeTables();
        String logicalId = "PrivateRouteTable" + (index == 0 ? "A" : "B");
        return tables.stream().filter(t -> logicalId.equals(tag(t.tags(), "aws:cloudformation:logical-id")))
                .findFirst()
                .orElseGet(() -> {
                    List<RouteTable> privateTables = tables.stream()
                            .filter(t -> t.associations().stream().noneMatch(a -> Boolean.TRUE.equals(a.main())))
                            .filter(t -> t.routes().stream().noneMatch(r -> r.gatewayId() != null
                                    && r.gatewayId().startsWith("igw-")))
                            .sorted(java.util.Comparator.comparing(RouteTable::routeTableId)).toList();
                    assertEquals(2, privateTables.size(), env + ": two private route tables");
                    return privateTables.get(index);
                });
    }

    private static Optional<Route> defaultRoute(RouteTable table) {
        return table.routes().stream().filter(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())).findFirst();
    }

    private List<NatGateway> natGateways(String vpc) {
        return check.ec2.describeNatGateways(r -> r.filter(Filter.builder().name("vpc-id").values(vpc).build()))
                .natGateways().stream().filter(g -> !g.stateAsString().startsWith("delet")).toList();
    }

    private List<VpcEndpoint> endpoints(String vpc) {
        return check.ec2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("vpc-id").values(vpc).build()))
                .vpcEndpoints();
    }

    private static String tag(List<software.amazon.awssdk.services.ec2.model.Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst().orElse(null);
    }

    private Map<String, String> outputs(String env) {
        Map<String, String> out = new HashMap<>();
        check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(env))).stacks().get(0)
                .outputs().forEach(o -> out.put(o.outputKey(), o.outputValue()));
        return out;
    }

    /**
     * The environment's network stack without its HTTPS listener, whose certificate these tests do
     * not request (OriginTlsIT covers it).
     */
    private static Resource networkOf(EnvironmentSpec spec) {
        Resource stack = DesiredState.compile(spec, "rev1").stream().filter(r -> r.type() == ResourceType.NETWORK_STACK)
                .findFirst().orElseThrow();
        Map<String, Object> attributes = new HashMap<>(stack.attributes());
        attributes.remove(NetworkStack.HTTPS);
        return new Resource(stack.address(), stack.type(), stack.component(), stack.name(), attributes, stack.tags(),
                stack.dependsOn());
    }

    /** The network stack's pending changes, as "attribute: before -> after". */
    private List<String> pending(EnvironmentSpec spec) {
        Resource desired = networkOf(spec);
        Optional<ObservedResource> live = observer.observe(List.of(spec.name())).get(desired.address());
        return live.map(l -> TestPlanner.diff(desired, l).stream()
                .map(a -> a.path() + ": " + a.before() + " -> " + a.after()).toList())
                .orElse(List.of("create"));
    }

    private void applyNetwork(EnvironmentSpec spec) {
        Resource desired = networkOf(spec);
        Optional<ObservedResource> live = observer.observe(List.of(spec.name())).get(desired.address());
        Change change = live.isEmpty()
                ? new Change(desired.address(), desired.type(), Action.CREATE, List.of(), Optional.of(desired), live,
                        "missing", Optional.empty())
                : new Change(desired.address(), desired.type(), Action.UPDATE, TestPlanner.diff(desired, live.get()),
                        Optional.of(desired), live, "", Optional.empty());
        EnvironmentPlan plan = new EnvironmentPlan(spec.name(), Optional.of(spec.tier()), Optional.of(spec.stage()),
                "rev1", Optional.empty(), List.of(change), List.of(List.of(desired.address())), List.of());
        ApplyResult result = executor.apply(plan, StopSignal.NEVER);
        assertEquals(Outcome.APPLIED, result.outcome(), () -> spec.name() + ": " + result.error().orElse("")
                + "\n" + result.steps());
    }

    private static EnvironmentSpec withEndpoints(EnvironmentSpec s) {
        return s.withNetwork(new EnvironmentSpec.Network(Egress.ENDPOINTS));
    }

    private static String revisionOneTemplate() throws IOException {
        return templateResource("network-stack-revision-1.json");
    }

    private static String templateResource(String resource) throws IOException {
        try (InputStream in = NetworkEgressIT.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
