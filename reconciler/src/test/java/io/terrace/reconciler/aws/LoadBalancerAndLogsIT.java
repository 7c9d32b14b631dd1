package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;

/**
 * The load balancer's attributes (invalid header fields dropped, deletion protection in
 * production, access logs) and the region's log bucket they write to, with the assets bucket's
 * server access logs, against moto: set on apply, read back through separate clients, restored
 * after out-of-band changes, and planned empty afterwards.
 */
@NeedsMoto
class LoadBalancerAndLogsIT {

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

    private void apply(EnvironmentSpec spec, String revision) {
        ApplyResult result = executor.apply(TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name()))),
                StopSignal.NEVER);
        assertTrue(result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.NO_CHANGES,
                () -> result.outcome() + ": " + result.error().orElse("") + "\n" + result.steps());
    }

    private List<String> pending(EnvironmentSpec spec, String revision) {
        return TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name()))).actions().stream()
                .map(c -> c.action().id() + " " + c.address() + c.attributes().stream()
                        .map(a -> " " + a.path() + ": " + a.before() + " -> " + a.after())
                        .collect(Collectors.joining(",")))
                .toList();
    }

    private String loadBalancerArn(String env) {
        return check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(env))).stacks().get(0)
                .outputs().stream().filter(o -> o.outputKey().equals(NetworkStacks.LOAD_BALANCER_ARN))
                .findFirst().orElseThrow().outputValue();
    }

    private Map<String, String> loadBalancerAttributes(String env) {
        Map<String, String> out = new TreeMap<>();
        check.elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(loadBalancerArn(env))).attributes()
                .forEach(a -> out.put(a.key(), a.value()));
        return out;
    }

    private String logBucket() {
        return "terrace-logs-" + check.sts.getCallerIdentity().account() + "-" + check.region().id();
    }

    @Test
    void productionLoadBalancerDropsInvalidHeadersIsProtectedAndLogsToTheLogBucket() throws Exception {
        EnvironmentSpec spec = TestSpecs.businessProduction("acme");
        apply(spec, "rev1");

        Map<String, String> lb = loadBalancerAttributes("acme");
        assertEquals("true", lb.get("routing.http.drop_invalid_header_fields.enabled"), lb::toString);
        assertEquals("true", lb.get("deletion_protection.enabled"), lb::toString);
        assertEquals("true", lb.get("access_logs.s3.enabled"), lb::toString);
        assertEquals(logBucket(), lb.get("access_logs.s3.bucket"));
        assertEquals("acme/alb", lb.get("access_logs.s3.prefix"));

        var logging = check.s3.getBucketLogging(r -> r.bucket(ResourceNames.assetsBucket("acme"))).loggingEnabled();
        assertNotNull(logging, "the assets bucket logs its requests");
        assertEquals(logBucket(), logging.targetBucket());
        assertEquals("acme/s3/", logging.targetPrefix());

        assertLogBucketInShape();
        assertEquals(List.of(), pending(spec, "rev1"), "a second plan finds nothing to do");
    }

    @Test
    void aStagingLoadBalancerIsNotDeletionProtected() {
        EnvironmentSpec spec = TestSpecs.standard("shop");
        apply(spec, "rev1");

        Map<String, String> lb = loadBalancerAttributes("shop");
        assertEquals("false", lb.get("deletion_protection.enabled"), lb::toString);
        assertEquals("true", lb.get("routing.http.drop_invalid_header_fields.enabled"), lb::toString);
        assertEquals("shop/alb", lb.get("access_logs.s3.prefix"));
        assertEquals(List.of(), pending(spec, "rev1"));
    }

    @Test
    void outOfBandChangesToTheAttributesAndLoggingAreRestoredWithoutAStackUpdate() {
        EnvironmentSpec spec = TestSpecs.businessProduction("acme");
        apply(spec, "rev1");
        String arn = loadBalancerArn("acme");
        String stackStatus = check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack("acme")))
                .stacks().get(0).stackStatusAsString();

        check.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("routing.http.drop_invalid_header_fields.enabled").value("false"),
                a -> a.key("deletion_protection.enabled").value("false"),
                a -> a.key("access_logs.s3.enabled").value("false")));
        check.s3.putBucketLogging(r -> r.bucket(ResourceNames.assetsBucket("acme")).bucketLoggingStatus(s -> { }));
        assertEquals(List.of(
                "update acme/assets/bucket accessLogs: off -> acme/s3/",
                "update acme/network/stack accessLogs: off -> acme/alb, deletionProtection: false -> true,"
                        + " dropInvalidHeaderFields: false -> true"),
                pending(spec, "rev1").stream().sorted().toList());

        apply(spec, "rev1");

        Map<String, String> lb = loadBalancerAttributes("acme");
        assertEquals("true", lb.get("routing.http.drop_invalid_header_fields.enabled"), lb::toString);
        assertEquals("true", lb.get("deletion_protection.enabled"), lb::toString);
        assertEquals("true", lb.get("access_logs.s3.enabled"), lb::toString);
        assertEquals("acme/alb", lb.get("access_logs.s3.prefix"));
        assertEquals("acme/s3/", check.s3.getBucketLogging(r -> r.bucket(ResourceNames.assetsBucket("acme")))
                .loggingEnabled().targetPrefix());
        assertEquals(stackStatus, check.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack("acme")))
                .stacks().get(0).stackStatusAsString(), "the attributes alone need no stack update");
        assertEquals(List.of(), pending(spec, "rev1"));

        check.elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(arn).attributes(
                a -> a.key("access_logs.s3.bucket").value("someone-elses-bucket")));
        assertEquals(List.of("update acme/network/stack accessLogs: elsewhere:someone-elses-bucket/acme/alb -> acme/alb"),
                pending(spec, "rev1"));
        apply(spec, "rev1");
        assertEquals(logBucket(), loadBalancerAttributes("acme").get("access_logs.s3.bucket"));
        assertEquals(List.of(), pending(spec, "rev1"));
    }

    /** Encrypted, private, owner-enforced, expiring, TLS only, and writable by both log deliveries. */
    private void assertLogBucketInShape() throws Exception {
        String bucket = logBucket();
        var block = check.s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        assertTrue(block.blockPublicAcls() && block.ignorePublicAcls() && block.blockPublicPolicy()
                && block.restrictPublicBuckets());
        assertEquals("AES256", check.s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration()
                .rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithmAsString());
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, check.s3.getBucketOwnershipControls(r -> r.bucket(bucket))
                .ownershipControls().rules().get(0).objectOwnership());
        var rules = check.s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
        assertEquals(1, rules.size());
        assertEquals(90, rules.get(0).expiration().days());

        JsonNode policy = new ObjectMapper().readTree(check.s3.getBucketPolicy(r -> r.bucket(bucket)).policy());
        Map<String, JsonNode> bySid = new TreeMap<>();
        policy.get("Statement").forEach(s -> bySid.put(s.get("Sid").asText(), s));
        assertEquals(new TreeSet<>(List.of("DenyInsecureTransport", "LoadBalancerAccessLogs",
                "LoadBalancerAccessLogsRegionalAccount", "S3ServerAccessLogs")), bySid.keySet());
        assertEquals("false", bySid.get("DenyInsecureTransport").at("/Condition/Bool/aws:SecureTransport").asText());
        assertEquals("logdelivery.elasticloadbalancing.amazonaws.com",
                bySid.get("LoadBalancerAccessLogs").at("/Principal/Service").asText());
        String account = check.sts.getCallerIdentity().account();
        assertEquals("arn:aws:s3:::" + bucket + "/*/AWSLogs/" + account + "/*",
                bySid.get("LoadBalancerAccessLogs").get("Resource").asText());
        // eu-west-1 is older than August 2022: its ELB account writes the logs there.
        assertEquals("arn:aws:iam::156460612806:root",
                bySid.get("LoadBalancerAccessLogsRegionalAccount").at("/Principal/AWS").asText());
        assertEquals("logging.s3.amazonaws.com", bySid.get("S3ServerAccessLogs").at("/Principal/Service").asText());
        assertEquals(account, bySid.get("S3ServerAccessLogs").at("/Condition/StringEquals/aws:SourceAccount").asText());
    }
}
