package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.acm.CertificateObserver;
import io.terrace.reconciler.aws.cloudfront.CloudFrontDriver;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginSecretRotation;
import io.terrace.reconciler.aws.network.OriginSecrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.JsonPlanRenderer;
import io.terrace.planner.ObservedState;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.TextPlanRenderer;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * TLS and the CDN as the only door, against moto (which issues a requested certificate at once):
 * the certificates, the load balancer's listeners and rules, the origin secret, read back with
 * separate clients; the secret never in a plan; everything gone after a decommission.
 */
@NeedsMoto
class OriginTlsIT {

    private static final String ENV = "acme";

    private AwsClients aws;
    private AwsClients check;
    private AwsClients checkUsEast1;
    private AwsObserver observer;
    private PlanExecutor executor;
    private final EnvironmentSpec spec = TestSpecs.standard(ENV);

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        check = Moto.clients();
        checkUsEast1 = Moto.clients(Region.US_EAST_1);
        observer = new AwsObserver(aws);
        executor = Drivers.executor(aws);
    }

    @AfterEach
    void tearDown() {
        aws.close();
        check.close();
        checkUsEast1.close();
    }

    private void apply() {
        EnvironmentPlan plan = TestPlanner.plan(spec, "rev1", observer.observe(List.of(ENV)));
        ApplyResult result = executor.apply(plan, StopSignal.NEVER);
        assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + "\n" + result.steps());
    }

    private String outputOf(String name) {
        return check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(ENV))).stacks().get(0)
                .outputs().stream().filter(o -> o.outputKey().equals(name)).findFirst().orElseThrow().outputValue();
    }

    private String secret() {
        return check.secretsManager.getSecretValue(r -> r.secretId(OriginSecrets.name(ENV))).secretString();
    }

    private static List<String> headerValues(Rule rule) {
        return rule.conditions().stream().filter(c -> "http-header".equals(c.field()))
                .map(RuleCondition::httpHeaderConfig)
                .peek(h -> assertEquals(OriginSecrets.HEADER, h.httpHeaderName()))
                .flatMap(h -> h.values().stream()).toList();
    }

    @Test
    void certificatesAreRequestedForTheAliasesInTheRegionAndInUsEast1() {
        apply();

        List<CertificateSummary> regional = check.acm.listCertificates(r -> { }).certificateSummaryList();
        List<CertificateSummary> global = checkUsEast1.acm.listCertificates(r -> { }).certificateSummaryList();
        assertEquals(List.of("www.acme.example"), regional.stream().map(CertificateSummary::domainName).toList());
        assertEquals(List.of("www.acme.example"), global.stream().map(CertificateSummary::domainName).toList());
        var detail = checkUsEast1.acm.describeCertificate(r -> r.certificateArn(global.get(0).certificateArn())).certificate();
        assertEquals("DNS", detail.domainValidationOptions().get(0).validationMethodAsString());
        var tags = checkUsEast1.acm.listTagsForCertificate(r -> r.certificateArn(global.get(0).certificateArn())).tags();
        assertTrue(tags.stream().anyMatch(t -> t.key().equals("terrace:component") && t.value().equals("cdn")), tags::toString);

        aws.counter().reset();
        new CertificateObserver(aws).observe(List.of(ENV));
        var calls = aws.counter().snapshot();
        assertEquals(2L, calls.get("Acm:ListCertificates"), calls::toString);
        // Tags from the tagging API filtered by the environment, one call per region: none read per certificate.
        assertEquals(2L, calls.get("ResourceGroupsTaggingApi:GetResources"), calls::toString);
        assertEquals(null, calls.get("Acm:ListTagsForCertificate"), calls::toString);
        assertEquals(2L, calls.get("Acm:DescribeCertificate"), calls::toString);

        ObservedState live = observer.observe(List.of(ENV));
        var cdn = live.get(ENV + "/cdn/certificate").orElseThrow();
        assertEquals(global.get(0).certificateArn(), cdn.id());
        assertEquals("ISSUED", cdn.attributes().get("status"));
        assertFalse(((List<?>) cdn.attributes().get("validationRecords")).isEmpty());
        assertTrue(live.get(ENV + "/network/certificate").orElseThrow().id().startsWith("arn:aws:acm:eu-west-1:"));
        assertEquals(true, live.get(ENV + "/network/stack").orElseThrow().attributes().get("https"));
        assertTrue(TestPlanner.plan(spec, "rev1", live).actions().isEmpty(), "converged");
    }

    @Test
    void theLoadBalancerServesHttpsRedirectsHttpAndForwardsOnlyRequestsCarryingTheOriginSecret() {
        apply();
        String secret = secret();
        assertTrue(secret.length() >= 32);
        String regionalCertificate = check.acm.listCertificates(r -> { }).certificateSummaryList().get(0).certificateArn();

        Map<Integer, Listener> listeners = new HashMap<>();
        check.elb.describeListeners(r -> r.loadBalancerArn(outputOf(NetworkStacks.LOAD_BALANCER_ARN))).listeners()
                .forEach(l -> listeners.put(l.port(), l));
        assertEquals(java.util.Set.of(80, 443), listeners.keySet());

        Listener https = listeners.get(443);
        assertEquals("HTTPS", https.protocolAsString());
        assertEquals(List.of(regionalCertificate), https.certificates().stream().map(c -> c.certificateArn()).toList());
        assertEquals(outputOf(NetworkStacks.HTTPS_LISTENER_ARN), https.listenerArn());

        var redirect = listeners.get(80).defaultActions().get(0);
        assertEquals("redirect", redirect.typeAsString());
        assertEquals("HTTPS", redirect.redirectConfig().protocol());
        assertEquals("443", redirect.redirectConfig().port());
        assertEquals("HTTP_301", redirect.redirectConfig().statusCodeAsString());

        List<Rule> rules = check.elb.describeRules(r -> r.listenerArn(https.listenerArn())).rules();
        Rule fallback = rules.stream().filter(Rule::isDefault).findFirst().orElseThrow();
        assertEquals("fixed-response", fallback.actions().get(0).typeAsString());
        assertEquals("403", fallback.actions().get(0).fixedResponseConfig().statusCode());
        Rule uploads = rules.stream().filter(r -> "10".equals(r.priority())).findFirst().orElseThrow();
        Rule pages = rules.stream().filter(r -> "20".equals(r.priority())).findFirst().orElseThrow();
        assertEquals(List.of(secret), headerValues(uploads));
        assertEquals(List.of(secret), headerValues(pages));
        assertTrue(uploads.conditions().stream().anyMatch(c -> "path-pattern".equals(c.field())
                && c.pathPatternConfig().values().equals(List.of("/wp-content/uploads/*"))), uploads::toString);
        assertEquals(outputOf(NetworkStacks.TACHYON_TARGET_GROUP_ARN), uploads.actions().get(0).targetGroupArn());
        assertEquals(outputOf(NetworkStacks.WEB_TARGET_GROUP_ARN), pages.actions().get(0).targetGroupArn());
    }

    /**
     * The origin secret denies every Secrets Manager action to all but the execution role and
     * the principal Terrace runs as (moto's caller, {@code user/moto}), as Prowler's
     * {@code secretsmanager_has_restrictive_resource_policy} wants it; a policy removed or
     * replaced out of band shows in the plan and the next apply puts it back without a stack update.
     */
    @Test
    void theOriginSecretIsDeniedToEveryoneButTheExecutionRoleAndTerraceAndRestored() throws Exception {
        apply();
        JsonNode policy = livePolicy();
        assertEquals(1, policy.path("Statement").size(), policy.toString());
        JsonNode deny = policy.path("Statement").get(0);
        assertEquals("Deny", deny.path("Effect").asText());
        assertEquals("*", deny.path("Principal").asText());
        assertEquals("secretsmanager:*", deny.path("Action").asText());
        assertEquals("*", deny.path("Resource").asText());
        assertEquals(List.of("StringNotEquals"), iterate(deny.path("Condition").fieldNames()));
        String caller = check.sts.getCallerIdentity().arn().replace(":sts::", ":iam::");
        assertEquals(List.of("arn:aws:iam::" + Moto.ACCOUNT + ":role/terrace/" + ResourceNames.executionRole(ENV), caller),
                iterate(deny.path("Condition").path("StringNotEquals").path("aws:PrincipalArn").elements())
                        .stream().map(JsonNode::asText).toList());
        assertEquals(List.of(), stackPending(), "steady state after apply");

        String stackBefore = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(ENV)))
                .stacks().get(0).lastUpdatedTime() + "";
        check.secretsManager.deleteResourcePolicy(r -> r.secretId(OriginSecrets.name(ENV)));
        assertEquals(List.of("originSecretPolicy: none -> restricted"), stackPending());
        apply();
        assertEquals(policy, livePolicy(), "the policy is back");
        assertEquals(stackBefore, check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(ENV)))
                .stacks().get(0).lastUpdatedTime() + "", "no stack update for the policy alone");

        check.secretsManager.putResourcePolicy(r -> r.secretId(OriginSecrets.name(ENV)).resourcePolicy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::210987654321:root\"},\"Action\":\"secretsmanager:GetSecretValue\","
                        + "\"Resource\":\"*\"}]}"));
        assertEquals(List.of("originSecretPolicy: changed -> restricted"), stackPending());
        apply();
        assertEquals(policy, livePolicy(), "the policy is back");
    }

    /** The network stack's pending changes, as "attribute: before -> after". */
    private List<String> stackPending() {
        return TestPlanner.plan(spec, "rev1", observer.observe(List.of(ENV))).changes().stream()
                .filter(c -> c.address().equals(ENV + "/network/stack"))
                .flatMap(c -> c.attributes().stream())
                .map(a -> a.path() + ": " + a.before() + " -> " + a.after()).toList();
    }

    private JsonNode livePolicy() throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(check.secretsManager
                .getResourcePolicy(r -> r.secretId(OriginSecrets.name(ENV))).resourcePolicy());
    }

    private static <T> List<T> iterate(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void theOriginSecretNeverAppearsInAPlan() {
        apply();
        String secret = secret();
        ObservedState live = observer.observe(List.of(ENV));
        EnvironmentSpec changed = new EnvironmentSpec(ENV, spec.client(), spec.tier(), spec.stage(), spec.region(),
                spec.availability(), spec.paused(), spec.drift(), spec.decommission(), spec.application(),
                spec.database(), spec.cache(), spec.search(), spec.assets(),
                new EnvironmentSpec.Cdn(true, List.of("www.acme.example", "acme.example"), "PriceClass_100", 60),
                spec.tags());
        var specs = new SpecSet(List.of(new SpecResult.Valid(ENV, "environments/" + ENV + ".yaml", changed)), Optional.empty());
        var plan = new Planner(PlanOptions.DEFAULT).plan(specs, Map.of(ENV, "rev2"), live);

        String text = new TextPlanRenderer().render(plan);
        String json = new JsonPlanRenderer().render(plan);
        assertTrue(text.contains("network/certificate"), text);
        assertFalse(text.contains(secret), text);
        assertFalse(json.contains(secret), json);
        assertFalse(live.toString().contains(secret));
    }

    @Test
    void rotationSwitchesTheLoadBalancerAndCloudFrontToANewSecretAndTheOldOneIsRefused() {
        apply();
        ObservedState live = observer.observe(List.of(ENV));
        DataTestContext context = new DataTestContext(aws).with(live.get(ENV + "/network/stack").orElseThrow())
                .with(live.get(ENV + "/cdn/certificate").orElseThrow());
        Resource cdn = io.terrace.planner.DesiredState.compile(spec, "rev1").stream()
                .filter(r -> r.address().equals(ENV + "/cdn/distribution")).findFirst().orElseThrow();
        String distribution = new io.terrace.reconciler.engine.ManagedDriver(new CloudFrontDriver(aws)).create(cdn, context).id();
        String old = secret();
        List<String> progress = new ArrayList<>();
        assertFalse(OriginSecrets.rotating(OriginSecrets.describe(check.secretsManager, ENV).orElseThrow()));
        // A rotation cut short leaves its mark: the daemon's next check finishes it.
        OriginSecrets.markRotating(aws.secretsManager, ENV);
        assertTrue(OriginSecrets.rotating(OriginSecrets.describe(check.secretsManager, ENV).orElseThrow()));

        new OriginSecretRotation(aws, progress::add, java.time.Duration.ofMinutes(2), java.time.Duration.ofMillis(200))
                .rotate(ENV);
        assertFalse(OriginSecrets.rotating(OriginSecrets.describe(check.secretsManager, ENV).orElseThrow()),
                "a finished rotation takes its mark off");

        String next = secret();
        assertFalse(next.equals(old));
        var origin = check.cloudFront.getDistributionConfig(r -> r.id(distribution)).distributionConfig().origins().items().get(0);
        assertEquals(List.of(next), origin.customHeaders().items().stream().map(h -> h.headerValue()).toList());
        for (Rule rule : check.elb.describeRules(r -> r.listenerArn(outputOf(NetworkStacks.HTTPS_LISTENER_ARN))).rules()) {
            if (!rule.isDefault()) {
                assertEquals(List.of(next), headerValues(rule), "the old value is refused once CloudFront sends the new");
            }
        }
        assertEquals(4, progress.size(), progress::toString);
        assertTrue(progress.stream().noneMatch(l -> l.contains(old) || l.contains(next)), "values are never printed");

        new OriginSecretRotation(aws, progress::add, java.time.Duration.ofMinutes(2), java.time.Duration.ofMillis(200))
                .rotate(ENV);
        assertFalse(secret().equals(next), "rotating again starts from what CloudFront sends");
    }

    @Test
    void certificatesAndTheSecretAreDeletedWithTheEnvironment() {
        apply();
        ObservedState live = observer.observe(List.of(ENV));
        List<Resource> desired = TestPlanner.desired(spec, "rev1");
        List<List<String>> waves = new ArrayList<>(TestPlanner.plan(spec, "rev1", live).waves());
        Collections.reverse(waves);
        List<Change> deletes = desired.stream().map(r -> new Change(r.address(), r.type(), Action.DELETE, List.of(),
                Optional.empty(), live.get(r.address()), "decommissioned", Optional.empty())).toList();
        EnvironmentPlan plan = new EnvironmentPlan(ENV, Optional.empty(), Optional.empty(), "rev2", Optional.empty(),
                deletes, waves, List.of());

        ApplyResult result = executor.apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + result.steps());
        assertEquals(List.of(), check.acm.listCertificates(r -> { }).certificateSummaryList());
        assertEquals(List.of(), checkUsEast1.acm.listCertificates(r -> { }).certificateSummaryList());
        assertTrue(check.secretsManager.listSecrets(r -> { }).secretList().stream()
                .noneMatch(s -> s.name().equals(OriginSecrets.name(ENV))));
        assertEquals(Map.of(), observer.observe(List.of(ENV)).resources());
    }
}
