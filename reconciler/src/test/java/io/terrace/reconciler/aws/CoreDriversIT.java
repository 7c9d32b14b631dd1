package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.ecs.EcsClusterDriver;
import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;
import io.terrace.reconciler.aws.logs.LogGroupDriver;
import io.terrace.reconciler.aws.monitoring.CloudWatchAlarmDriver;
import io.terrace.reconciler.aws.s3.S3BucketDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.Action;
import io.terrace.planner.Change;
import io.terrace.planner.Component;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.ResourceDriver;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The core drivers against moto: apply from nothing, converge, follow spec changes, correct
 * out-of-band changes, and never touch a same-named resource Terrace did not create. Live state
 * is checked through a separate SDK client, not through Terrace's observers.
 */
@NeedsMoto
class CoreDriversIT {

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

    private ApplyResult apply(EnvironmentSpec spec, String revision) {
        EnvironmentPlan plan = TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name())));
        ApplyResult result = executor.apply(plan, StopSignal.NEVER);
        assertTrue(result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.NO_CHANGES,
                () -> result.outcome() + ": " + result.error().orElse("") + "\n" + result.steps());
        return result;
    }

    /** What a plan would change, as "address: attribute before -> after" lines. */
    private List<String> pending(EnvironmentSpec spec, String revision) {
        return TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name()))).actions().stream()
                .map(c -> c.action().id() + " " + c.address() + c.attributes().stream()
                        .map(a -> " " + a.path() + ": " + a.before() + " -> " + a.after())
                        .collect(java.util.stream.Collectors.joining(",")))
                .toList();
    }

    /** Changes the real planner finds for the resources of this part (others are not applied here). */
    private List<String> realPlannerChanges(EnvironmentSpec spec, String revision) {
        var specs = new io.terrace.schema.SpecSet(List.of(new io.terrace.schema.SpecResult.Valid(spec.name(),
                "environments/" + spec.name() + ".yaml", spec)), java.util.Optional.empty());
        var plan = new io.terrace.planner.Planner(io.terrace.planner.PlanOptions.DEFAULT)
                .plan(specs, Map.of(spec.name(), revision), observer.observe(List.of(spec.name())));
        return plan.environments().get(0).actions().stream()
                .filter(c -> TestPlanner.CORE.contains(c.type()) && !c.address().contains("/database/"))
                // Values of the data services this part does not create stay unknown.
                .filter(c -> !c.attributes().stream().allMatch(a -> io.terrace.planner.LiveRef.isUnknown(a.after())))
                .map(c -> c.action().id() + " " + c.address() + " " + c.attributes())
                .toList();
    }

    private Set<String> pendingAddresses(EnvironmentSpec spec, String revision) {
        return new java.util.TreeSet<>(TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name())))
                .actions().stream().map(Change::address).toList());
    }

    private Service service(String env, Component c) {
        return check.ecs.describeServices(r -> r.cluster(ResourceNames.ecsCluster(env))
                .services(ResourceNames.ecsService(c))).services().get(0);
    }

    @Test
    void aRestartReadsNoTaskDefinitionTheKeptCacheAlreadyHolds(@TempDir Path data) {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        apply(spec, "rev1");
        Path kept = data.resolve("task-definitions.jsonl");
        ObservedState before = new AwsObserver(aws, TaskDefinitionCache.keptIn(kept)).observe(List.of("acme"));

        aws.counter().reset();
        ObservedState after = new AwsObserver(aws, TaskDefinitionCache.keptIn(kept)).observe(List.of("acme"));

        assertEquals(0L, aws.counter().snapshot().getOrDefault("Ecs:DescribeTaskDefinition", 0L),
                aws.counter().snapshot().toString());
        assertEquals(1L, aws.counter().snapshot().get("Ecs:DescribeServices"));
        assertEquals(before.resources(), after.resources(), "the same live state, read or remembered");
        assertEquals(4, before.resources().values().stream()
                .filter(r -> r.type() == io.terrace.planner.ResourceType.ECS_TASK_DEFINITION).count());
    }

    @Test
    void appliesAnEnvironmentFromNothingAndConverges() {
        EnvironmentSpec spec = TestSpecs.standard("acme");

        ApplyResult result = apply(spec, "rev1");

        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(TestPlanner.desired(spec, "rev1").size(), result.steps().size());
        // network: the stack with every output other components read
        var stack = check.cloudFormation.describeStacks(r -> r.stackName("terrace-acme-network")).stacks().get(0);
        Set<String> outputs = new java.util.TreeSet<>(stack.outputs().stream().map(Output::outputKey).toList());
        assertTrue(outputs.containsAll(Set.of("VpcId", "PublicSubnetIds", "PrivateSubnetIds", "AlbSecurityGroupId",
                "AppSecurityGroupId", "DataSecurityGroupId", "LoadBalancerArn", "LoadBalancerDnsName",
                "WebTargetGroupArn", "TachyonTargetGroupArn", "ListenerArn")), outputs::toString);
        assertTrue(stack.tags().stream().anyMatch(t -> t.key().equals("terrace:managed-by") && t.value().equals("terrace")));
        Map<String, String> out = new java.util.HashMap<>();
        stack.outputs().forEach(o -> out.put(o.outputKey(), o.outputValue()));
        assertEquals(2, out.get("PrivateSubnetIds").split(",").length, "two zones of subnets even for single-az");
        // cluster, with the revision stamped last
        var cluster = check.ecs.describeClusters(r -> r.clusters("terrace-acme")
                .include(software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().get(0);
        assertTrue(cluster.tags().stream().anyMatch(t -> t.key().equals("terrace:revision") && t.value().equals("rev1")));
        // services: Fargate in one private subnet, web behind its target group, sandbox with exec
        Service web = service("acme", Component.WEB);
        assertEquals("FARGATE", web.launchTypeAsString());
        assertEquals(2, web.desiredCount());
        assertEquals(List.of(out.get("PrivateSubnetIds").split(",")[0]),
                web.networkConfiguration().awsvpcConfiguration().subnets());
        assertEquals(List.of(out.get("AppSecurityGroupId")), web.networkConfiguration().awsvpcConfiguration().securityGroups());
        assertEquals(out.get("WebTargetGroupArn"), web.loadBalancers().get(0).targetGroupArn());
        assertEquals(out.get("TachyonTargetGroupArn"), service("acme", Component.TACHYON).loadBalancers().get(0).targetGroupArn());
        assertTrue(service("acme", Component.SANDBOX).enableExecuteCommand());
        assertFalse(service("acme", Component.WEB).enableExecuteCommand());
        var td = check.ecs.describeTaskDefinition(r -> r.taskDefinition(web.taskDefinition())).taskDefinition();
        assertEquals("registry.example.com/acme/app:1.42.0", td.containerDefinitions().get(0).image());
        assertEquals("1024", td.cpu());
        // autoscaling
        var target = check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/terrace-acme/web")).scalableTargets().get(0);
        assertEquals(2, target.minCapacity());
        assertEquals(10, target.maxCapacity());
        // bucket
        String bucket = ResourceNames.assetsBucket("acme");
        assertEquals(BucketVersioningStatus.ENABLED, check.s3.getBucketVersioning(r -> r.bucket(bucket)).status());
        assertEncryptedWithTheEnvironmentsKey(bucket, "acme");
        // log groups: every one encrypted with the environment's key
        String key = keyArn("acme");
        for (Component c : List.of(Component.WEB, Component.SANDBOX, Component.CAVALCADE, Component.TACHYON)) {
            String group = ResourceNames.logGroup("acme", c);
            assertEquals(key, check.logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().stream()
                    .filter(g -> g.logGroupName().equals(group)).findFirst().orElseThrow().kmsKeyId(), group);
        }
        assertTrue(check.s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration().blockPublicPolicy());
        assertTrue(check.s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                .anyMatch(t -> t.key().equals("terrace:environment") && t.value().equals("acme")));
        assertDeniesInsecureTransport(bucket);
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, objectOwnership(bucket));

        assertEquals(List.of(), pending(spec, "rev1"), "a second plan finds nothing to do");
        assertEquals(List.of(), realPlannerChanges(spec, "rev1"), "the planner's own diff agrees, tags included");
        ApplyResult again = executor.apply(TestPlanner.plan(spec, "rev1", observer.observe(List.of("acme"))), StopSignal.NEVER);
        assertEquals(Outcome.NO_CHANGES, again.outcome());
    }

    @Test
    void multiAzEnvironmentRunsTasksInBothZones() {
        EnvironmentSpec spec = TestSpecs.businessProduction("big");

        apply(spec, "rev1");

        Service web = service("big", Component.WEB);
        assertEquals(2, web.networkConfiguration().awsvpcConfiguration().subnets().size());
        assertEquals(2, service("big", Component.TACHYON).desiredCount());
        var cluster = check.ecs.describeClusters(r -> r.clusters("terrace-big")
                .include(software.amazon.awssdk.services.ecs.model.ClusterField.SETTINGS)).clusters().get(0);
        assertEquals("enabled", cluster.settings().get(0).value(), "production has Container Insights");
        assertEquals(List.of(), pending(spec, "rev1"));
    }

    @Test
    void specChangesAreAppliedAndReadBack() {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        apply(spec, "rev1");
        String before = service("acme", Component.WEB).taskDefinition();

        EnvironmentSpec changed = TestSpecs.withVersioning(
                TestSpecs.withImage(TestSpecs.withWeb(spec, 3, 8), "registry.example.com/acme/app:1.43.0"), false);
        Set<String> addresses = pendingAddresses(changed, "rev2");
        assertEquals(Set.of("acme/assets/bucket", "acme/web/scaling", "acme/web/task", "acme/web/service",
                "acme/sandbox/task", "acme/cavalcade/task"), addresses);
        apply(changed, "rev2");

        assertEquals(List.of(), pending(changed, "rev2"));
        assertEquals(List.of(), realPlannerChanges(changed, "rev2"));
        Service web = service("acme", Component.WEB);
        assertFalse(before.equals(web.taskDefinition()), "the service runs the new revision");
        assertEquals("registry.example.com/acme/app:1.43.0", check.ecs.describeTaskDefinition(
                r -> r.taskDefinition(web.taskDefinition())).taskDefinition().containerDefinitions().get(0).image());
        assertEquals(3, web.desiredCount(), "2 is below the new minimum of 3");
        var target = check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/terrace-acme/web")).scalableTargets().get(0);
        assertEquals(8, target.maxCapacity());
        assertEquals(BucketVersioningStatus.SUSPENDED,
                check.s3.getBucketVersioning(r -> r.bucket(ResourceNames.assetsBucket("acme"))).status());
        var cluster = check.ecs.describeClusters(r -> r.clusters("terrace-acme")
                .include(software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().get(0);
        assertTrue(cluster.tags().stream().anyMatch(t -> t.key().equals("terrace:revision") && t.value().equals("rev2")));
    }

    @Test
    void outOfBandChangesAreCorrectedButAutoscalerMovesWithinTheRangeAreLeftAlone() {
        EnvironmentSpec spec = TestSpecs.withWeb(TestSpecs.standard("acme"), 2, 20);
        apply(spec, "rev1");
        String bucket = ResourceNames.assetsBucket("acme");

        check.ecs.updateService(r -> r.cluster("terrace-acme").service("web").desiredCount(7));
        assertEquals(List.of(), pending(spec, "rev1"), "7 is inside 2..20: the autoscaler's business");

        check.ecs.updateService(r -> r.cluster("terrace-acme").service("web").desiredCount(40));
        check.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
        assertEquals(List.of("update acme/assets/bucket versioning: false -> true",
                "update acme/web/service desiredCount: 40 -> 2..20"), pending(spec, "rev1").stream().sorted().toList());

        apply(spec, "rev1");

        assertEquals(20, service("acme", Component.WEB).desiredCount(), "clamped to the top of the range");
        assertEquals(BucketVersioningStatus.ENABLED, check.s3.getBucketVersioning(r -> r.bucket(bucket)).status());
        assertEquals(List.of(), pending(spec, "rev1"));
        assertEquals(List.of(), realPlannerChanges(spec, "rev1"));
    }

    @Test
    void theBucketPolicyAndOwnershipControlsAreRestoredAfterOutOfBandChanges() throws Exception {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        apply(spec, "rev1");
        String bucket = ResourceNames.assetsBucket("acme");

        check.s3.deleteBucketOwnershipControls(r -> r.bucket(bucket));
        check.s3.putBucketPolicy(r -> r.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteBucket\","
                + "\"Resource\":\"arn:aws:s3:::" + bucket + "\"}]}"));
        assertEquals(List.of("update acme/assets/bucket objectOwnership: none -> BucketOwnerEnforced,"
                + " secureTransportPolicy: changed -> tls-only"), pending(spec, "rev1"));

        apply(spec, "rev1");

        assertDeniesInsecureTransport(bucket);
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, objectOwnership(bucket));
        assertEquals(List.of(), pending(spec, "rev1"));

        check.s3.deleteBucketPolicy(r -> r.bucket(bucket));
        assertThrows(S3Exception.class, () -> check.s3.getBucketPolicy(r -> r.bucket(bucket)));
        assertEquals(List.of("update acme/assets/bucket secureTransportPolicy: none -> tls-only"), pending(spec, "rev1"));

        apply(spec, "rev1");

        assertDeniesInsecureTransport(bucket);
        assertEquals(List.of(), pending(spec, "rev1"));
        assertEquals(List.of(), realPlannerChanges(spec, "rev1"));
    }

    @Test
    void aBucketWhoseEncryptionDriftsIsPutBackToTheEnvironmentsKey() {
        EnvironmentSpec spec = TestSpecs.standard("acme");
        apply(spec, "rev1");
        String bucket = ResourceNames.assetsBucket("acme");

        check.s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule.builder()
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("AES256")).build())));
        assertEquals(List.of("update acme/assets/bucket bucketKey: false -> true, encryption: AES256 -> aws:kms,"
                + " encryptionKey: none -> " + keyArn("acme")), pending(spec, "rev1"));

        apply(spec, "rev1");

        assertEncryptedWithTheEnvironmentsKey(bucket, "acme");
        assertEquals(List.of(), pending(spec, "rev1"));
        assertEquals(List.of(), realPlannerChanges(spec, "rev1"));
    }

    /** The ARN of {@code env}'s KMS key, read through its alias. */
    private String keyArn(String env) {
        return check.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(env))).keyMetadata().arn();
    }

    /** SSE-KMS by default with the environment's key, S3 Bucket Keys on. */
    private void assertEncryptedWithTheEnvironmentsKey(String bucket, String env) {
        var rule = check.s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0);
        assertEquals("aws:kms", rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString());
        assertEquals(keyArn(env), rule.applyServerSideEncryptionByDefault().kmsMasterKeyID());
        assertEquals(Boolean.TRUE, rule.bucketKeyEnabled());
    }

    /** The live bucket policy is one statement denying every S3 action on the bucket and its objects without TLS. */
    private void assertDeniesInsecureTransport(String bucket) {
        JsonNode policy;
        try {
            policy = new ObjectMapper().readTree(check.s3.getBucketPolicy(r -> r.bucket(bucket)).policy());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        JsonNode statements = policy.get("Statement");
        assertEquals(1, statements.size(), policy::toString);
        JsonNode deny = statements.get(0);
        assertEquals("Deny", deny.get("Effect").asText());
        assertEquals("*", deny.get("Principal").asText());
        assertEquals("s3:*", deny.get("Action").asText());
        Set<String> resources = new java.util.TreeSet<>();
        deny.get("Resource").forEach(n -> resources.add(n.asText()));
        assertEquals(Set.of("arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"), resources);
        assertEquals("false", deny.at("/Condition/Bool/aws:SecureTransport").asText(), policy::toString);
    }

    private ObjectOwnership objectOwnership(String bucket) {
        return check.s3.getBucketOwnershipControls(r -> r.bucket(bucket)).ownershipControls().rules().get(0).objectOwnership();
    }

    @Test
    void sameNamedResourcesWithoutTerraceTagsAreNeverTouched() {
        String bucket = ResourceNames.assetsBucket("acme");
        check.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        check.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("owner").value("someone-else").build())));
        check.ecs.createCluster(r -> r.clusterName("terrace-acme"));

        ObservedState observed = observer.observe(List.of("acme"));
        ObservedResource foreignBucket = observed.get("acme/assets/bucket").orElseThrow();
        ObservedResource foreignCluster = observed.get("acme/cluster/cluster").orElseThrow();
        assertFalse(foreignBucket.isManagedByTerrace());
        assertEquals("someone-else", foreignBucket.tags().get("owner"), "reported with its live tags");
        assertFalse(foreignCluster.isManagedByTerrace());

        Resource desiredBucket = TestPlanner.desired(TestSpecs.withVersioning(TestSpecs.standard("acme"), true), "rev1")
                .stream().filter(r -> r.address().equals("acme/assets/bucket")).findFirst().orElseThrow();
        DriverContextForTests context = new DriverContextForTests(aws);
        var s3 = new ManagedDriver(new S3BucketDriver(aws));
        var updateRefused = assertThrows(IllegalStateException.class,
                () -> s3.update(desiredBucket, foreignBucket, List.of(), context));
        assertTrue(updateRefused.getMessage().contains("refusing to update aws_s3_bucket " + bucket), updateRefused.getMessage());
        assertThrows(IllegalStateException.class, () -> s3.delete(foreignBucket, context));
        var takeover = assertThrows(IllegalStateException.class, () -> s3.create(desiredBucket, context));
        assertTrue(takeover.getMessage().contains("refusing to take over S3 bucket " + bucket), takeover.getMessage());
        assertThrows(IllegalStateException.class, () -> new ManagedDriver(new EcsClusterDriver(aws)).delete(foreignCluster, context));

        // and through the executor the whole environment is refused: the plan is blocked
        EnvironmentPlan plan = TestPlanner.plan(TestSpecs.standard("acme"), "rev1", observed);
        assertEquals(Outcome.BLOCKED, executor.apply(plan, StopSignal.NEVER).outcome());

        assertEquals(List.of("owner"), check.s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                .map(t -> t.key()).toList());
        assertEquals("Unversioned", String.valueOf(check.s3.getBucketVersioning(r -> r.bucket(bucket)).statusAsString()).replace("null", "Unversioned"));
        assertEquals(1, check.ecs.describeClusters(r -> r.clusters("terrace-acme")).clusters().size());
    }

    @Test
    void aWavesReadOfAlarmsAndLogGroupsFindsWhatOneReadEachFinds() {
        List<Resource> desired = io.terrace.planner.DesiredState.compile(TestSpecs.businessProduction("batch"), "rev1");
        List<Resource> alarms = desired.stream().filter(r -> r.type() == ResourceType.CLOUDWATCH_ALARM).toList();
        List<Resource> groups = desired.stream().filter(r -> r.type() == ResourceType.LOG_GROUP).toList();
        assertTrue(alarms.size() > 10 && groups.size() > 3, alarms.size() + " alarms, " + groups.size() + " groups");
        // Someone else's alarm and group under two of the names; another environment's group beside them.
        check.cloudWatch.putMetricAlarm(r -> r.alarmName(alarms.get(1).name()).namespace("AWS/ECS")
                .metricName("CPUUtilization").statistic("Average").period(60).evaluationPeriods(1).threshold(90.0)
                .comparisonOperator("GreaterThanThreshold")
                .tags(software.amazon.awssdk.services.cloudwatch.model.Tag.builder().key("owner").value("ops").build()));
        check.logs.createLogGroup(r -> r.logGroupName(groups.get(0).name()).tags(Map.of("owner", "ops")));
        check.logs.createLogGroup(r -> r.logGroupName(ResourceNames.logGroupPrefix("batch-2") + "web"));
        DriverContextForTests context = new DriverContextForTests(aws);

        for (ResourceDriver driver : List.<ResourceDriver>of(new CloudWatchAlarmDriver(aws), new LogGroupDriver(aws))) {
            List<Resource> mine = driver.type() == ResourceType.CLOUDWATCH_ALARM ? alarms : groups;
            AwsCallCounter counter = new AwsCallCounter();
            Map<String, LiveRead> together;
            try (AwsClients counted = new AwsClients(Moto.REGION, java.util.Optional.of(Moto.endpoint()), counter)) {
                ResourceDriver countedDriver = driver instanceof CloudWatchAlarmDriver ? new CloudWatchAlarmDriver(counted)
                        : new LogGroupDriver(counted);
                together = countedDriver.readAll(mine, context);
            }
            Map<String, LiveRead> oneByOne = new java.util.LinkedHashMap<>();
            mine.forEach(r -> oneByOne.put(r.address(), driver.read(r, context)));
            assertEquals(oneByOne, together, driver.type().id());
            assertEquals(mine.size() - 1, together.values().stream().filter(LiveRead.ABSENT::equals).count());
            // One call for the names under the environment's prefix (RDS's groups, named by RDS,
            // one each), and the tags of the one found.
            long ownNamed = mine.stream().filter(r -> r.type() == ResourceType.LOG_GROUP
                    && !r.name().startsWith(ResourceNames.logGroupPrefix("batch"))).count();
            assertEquals(2 + ownNamed, counter.total(), driver.type().id() + ": " + counter.snapshot());
        }
    }

    @Test
    void deletesAnEnvironmentInReverseOrder() {
        EnvironmentSpec spec = TestSpecs.standard("gone");
        apply(spec, "rev1");
        ObservedState live = observer.observe(List.of("gone"));
        List<Resource> desired = TestPlanner.desired(spec, "rev1");
        List<List<String>> waves = new java.util.ArrayList<>();
        TestPlanner.plan(spec, "rev1", live).waves().forEach(waves::add);
        java.util.Collections.reverse(waves);
        List<Change> deletes = desired.stream().map(r -> new Change(r.address(), r.type(), Action.DELETE, List.of(),
                java.util.Optional.empty(), live.get(r.address()), "decommissioned", java.util.Optional.empty())).toList();
        EnvironmentPlan plan = new EnvironmentPlan("gone", java.util.Optional.empty(), java.util.Optional.empty(), "rev2",
                java.util.Optional.empty(), deletes, waves, List.of());

        ApplyResult result = executor.apply(plan, StopSignal.NEVER);

        assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + result.steps());
        assertEquals(Map.of(), observer.observe(List.of("gone")).resources());
        assertTrue(check.s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(ResourceNames.assetsBucket("gone"))));
    }
}
