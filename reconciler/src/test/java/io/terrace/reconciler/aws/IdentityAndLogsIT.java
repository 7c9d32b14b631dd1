package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.iam.IamObserver;
import io.terrace.reconciler.aws.iam.IamRoleDriver;
import io.terrace.reconciler.aws.logs.LogGroupDriver;
import io.terrace.reconciler.aws.logs.LogGroups;
import io.terrace.reconciler.aws.logs.LogsObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.Action;
import io.terrace.planner.Component;
import io.terrace.planner.DesiredState;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import io.terrace.planner.RolePolicies;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.reconciler.engine.PlanExecutor;
import io.terrace.reconciler.engine.ResourceDriver;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.wiring.Drivers;
import io.terrace.schema.EnvironmentSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * Every environment's containers run with a task role and the execution role, and log to their
 * own group: two environments applied side by side against moto, read back with separate IAM,
 * ECS and CloudWatch Logs clients, then drift of an inline policy corrected, then a decommission
 * that leaves nothing of the environment in IAM or CloudWatch Logs.
 */
@NeedsMoto
class IdentityAndLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME = "acme";
    private static final String INITECH = "initech";

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
    void everyTaskRunsWithItsRolesAndLogsToItsOwnGroup() throws Exception {
        EnvironmentSpec acme = TestSpecs.standard(ACME);
        EnvironmentSpec initech = TestSpecs.businessProduction(INITECH);
        apply(acme, "rev1");
        apply(initech, "rev1");

        for (EnvironmentSpec spec : List.of(acme, initech)) {
            String env = spec.name();
            String other = env.equals(ACME) ? INITECH : ACME;
            int retention = spec.tier() == io.terrace.schema.Tier.STANDARD ? 30 : 90;
            for (Component c : components(spec)) {
                TaskDefinition td = check.ecs.describeTaskDefinition(r -> r.taskDefinition(
                        ResourceNames.taskFamily(env, c))).taskDefinition();
                Role taskRole = role(ResourceNames.taskRole(env, c));
                Role executionRole = role(ResourceNames.executionRole(env));
                assertEquals(taskRole.arn(), td.taskRoleArn(), env + "/" + c.id());
                assertEquals(executionRole.arn(), td.executionRoleArn(), env + "/" + c.id());
                assertEquals("/terrace/", taskRole.path());
                assertTrue(trusts(taskRole, "ecs-tasks.amazonaws.com"), taskRole.assumeRolePolicyDocument());

                ContainerDefinition container = td.containerDefinitions().get(0);
                assertEquals(LogDriver.AWSLOGS, container.logConfiguration().logDriver());
                Map<String, String> options = container.logConfiguration().options();
                assertEquals(ResourceNames.logGroup(env, c), options.get("awslogs-group"));
                assertEquals(Moto.REGION.id(), options.get("awslogs-region"));
                assertEquals(c.id(), options.get("awslogs-stream-prefix"));
                LogGroup group = logGroup(options.get("awslogs-group")).orElseThrow(() ->
                        new AssertionError("no log group " + options.get("awslogs-group")));
                assertEquals(retention, group.retentionInDays(), env + "/" + c.id() + " retention by tier");
                Map<String, String> groupTags = check.logs.listTagsForResource(r -> r.resourceArn(
                        LogGroups.arn(group))).tags();
                assertEquals(env, groupTags.get("terrace:environment"));

                JsonNode policy = inlinePolicy(taskRole.roleName());
                Set<String> resources = values(policy, "Resource");
                Set<String> actions = values(policy, "Action");
                String bucket = "arn:aws:s3:::" + ResourceNames.assetsBucket(env);
                String otherBucket = "arn:aws:s3:::" + ResourceNames.assetsBucket(other);
                assertTrue(resources.contains(bucket) && resources.contains(bucket + "/*"), resources.toString());
                assertFalse(resources.contains(otherBucket) || resources.contains(otherBucket + "/*"), resources.toString());
                switch (c) {
                    case TACHYON -> assertEquals(Set.of("s3:GetObject", "s3:ListBucket", "kms:Decrypt"), actions);
                    case SANDBOX -> assertTrue(actions.containsAll(Set.of("s3:PutObject",
                            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel")), actions.toString());
                    case CAVALCADE -> {
                        assertTrue(actions.contains("cloudwatch:PutMetricData"), actions.toString());
                        assertEquals(RolePolicies.CAVALCADE_METRIC_NAMESPACE,
                                condition(policy, "cloudwatch:PutMetricData", "cloudwatch:namespace"));
                        assertFalse(actions.stream().anyMatch(a -> a.startsWith("ssmmessages:")));
                    }
                    default -> assertEquals(Set.of("s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                            "es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut",
                            "kms:Decrypt", "kms:GenerateDataKey"), actions);
                }
                // The bucket's objects are encrypted with the environment's key: used through S3, named by its alias.
                assertTrue(resources.contains("arn:aws:kms:" + spec.region() + ":${aws:PrincipalAccount}:key/*"),
                        resources.toString());
                assertEquals("s3." + spec.region() + ".amazonaws.com", condition(policy, "kms:Decrypt", "kms:ViaService"));
                assertEquals(ResourceNames.alertKeyAlias(env), statement(policy, "UseAssetsKey").get("Condition")
                        .get("ForAnyValue:StringEquals").get("kms:ResourceAliases").asText());
                // Its log group is encrypted with that key.
                assertEquals(check.kms.describeKey(r -> r.keyId(ResourceNames.alertKeyAlias(env))).keyMetadata().arn(),
                        group.kmsKeyId(), env + "/" + c.id() + " log group key");
                String domain = "arn:aws:es:" + spec.region() + ":${aws:PrincipalAccount}:domain/"
                        + ResourceNames.searchDomain(env) + "/*";
                assertEquals(c != Component.TACHYON, resources.contains(domain),
                        c.id() + " reaches its own search domain, tachyon none: " + resources);
            }
            JsonNode execution = inlinePolicy(ResourceNames.executionRole(env));
            assertEquals("arn:aws:rds:" + spec.region() + ":${aws:PrincipalAccount}:cluster:" + ResourceNames.dbCluster(env),
                    condition(execution, "secretsmanager:GetSecretValue",
                            "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn"));
            assertTrue(values(execution, "Resource").stream().anyMatch(r -> r.contains(":log-group:/terrace/" + env + "/")));
            assertFalse(values(execution, "Resource").stream().anyMatch(r -> r.contains("/terrace/" + other + "/")));
        }
        assertEquals(List.of(), pending(acme, "rev1"), "steady state: nothing to change after the apply");
    }

    @Test
    void anInlinePolicyDeletedOrChangedOutOfBandIsPutBack() throws Exception {
        EnvironmentSpec acme = TestSpecs.standard(ACME);
        apply(acme, "rev1");
        String web = ResourceNames.taskRole(ACME, Component.WEB);
        String tachyon = ResourceNames.taskRole(ACME, Component.TACHYON);
        String before = inlinePolicy(web).toString();

        check.iam.deleteRolePolicy(r -> r.roleName(web).policyName(RolePolicies.POLICY_NAME));
        check.iam.putRolePolicy(r -> r.roleName(tachyon).policyName(RolePolicies.POLICY_NAME).policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
        assertEquals(Set.of("update acme/web/task-role policy", "update acme/tachyon/task-role policy"),
                Set.copyOf(pending(acme, "rev1")), "both drifts are planned, nothing else");

        apply(acme, "rev1");
        assertEquals(before, inlinePolicy(web).toString(), "the deleted policy is back as it was");
        assertEquals(Set.of("s3:GetObject", "s3:ListBucket", "kms:Decrypt"), values(inlinePolicy(tachyon), "Action"));
        assertEquals(List.of(), pending(acme, "rev1"));
    }

    @Test
    void aDecommissionedEnvironmentLeavesNoRoleOrLogGroupBehind() {
        EnvironmentSpec acme = TestSpecs.standard(ACME);
        EnvironmentSpec initech = TestSpecs.standard(INITECH);
        apply(acme, "rev1");
        apply(initech, "rev1");
        EnvironmentPlan marking = realPlan(decommissioned(acme), "rev2");
        assertTrue(marking.actions().stream().anyMatch(c -> c.address().equals("acme/web/task-role")),
                "the roles are marked: " + marking.actions());
        ApplyResult marked = executor.apply(marking, StopSignal.NEVER);
        assertEquals(Outcome.APPLIED, marked.outcome(), () -> marked.error().orElse("") + "\n" + marked.steps());
        assertEquals("true", check.iam.listRoleTags(r -> r.roleName(ResourceNames.executionRole(ACME))).tags().stream()
                .filter(t -> t.key().equals(ObservedResource.DECOMMISSION)).findFirst().orElseThrow().value());

        EnvironmentPlan deletion = new Planner(PlanOptions.DEFAULT).planEnvironment(ACME, Optional.empty(), "rev3",
                Optional.empty(), observer.observe(List.of(ACME)).environment(ACME));
        assertTrue(deletion.blocked().isEmpty(), () -> "decommissioned first: " + deletion.blocked());
        assertTrue(deletion.actions().stream().allMatch(c -> c.action() == Action.DELETE));
        ApplyResult deleted = executor.apply(deletion, StopSignal.NEVER);
        assertEquals(Outcome.APPLIED, deleted.outcome(), () -> deleted.error().orElse("") + "\n" + deleted.steps());

        assertEquals(List.of(), rolesTaggedWith(ACME), "no role of acme left");
        assertEquals(List.of(), groupsTaggedWith(ACME), "no log group of acme left");
        assertEquals(5, rolesTaggedWith(INITECH).size(), "initech's execution role and four task roles stay");
        assertEquals(10, groupsTaggedWith(INITECH).size(),
                "initech's four container groups, four search groups and two database groups stay");
    }

    @Test
    void webAndCavalcadeLogsCountPhpFatalAndDatabaseErrors() {
        EnvironmentSpec acme = TestSpecs.standard(ACME);
        apply(acme, "rev1");
        for (Component c : List.of(Component.WEB, Component.CAVALCADE)) {
            String group = ResourceNames.logGroup(ACME, c);
            Map<String, String> patterns = new java.util.TreeMap<>();
            for (MetricFilter f : check.logs.describeMetricFilters(r -> r.logGroupName(group)).metricFilters()) {
                assertEquals(1, f.metricTransformations().size());
                assertEquals("Terrace/acme", f.metricTransformations().get(0).metricNamespace());
                assertEquals(f.filterName(), f.metricTransformations().get(0).metricName());
                assertEquals("1", f.metricTransformations().get(0).metricValue());
                patterns.put(f.filterName(), f.filterPattern());
            }
            assertEquals(Map.of("PhpFatalErrors", "\"PHP Fatal error\"",
                    "DatabaseErrors", "\"WordPress database error\""), patterns, group);
        }
        for (Component c : List.of(Component.TACHYON, Component.SANDBOX)) {
            assertEquals(List.of(), check.logs.describeMetricFilters(r -> r.logGroupName(
                    ResourceNames.logGroup(ACME, c))).metricFilters(), c.id() + " logs no PHP");
        }
        assertEquals(List.of(), pending(acme, "rev1"), "steady state");

        check.logs.deleteMetricFilter(r -> r.logGroupName(ResourceNames.logGroup(ACME, Component.WEB))
                .filterName("PhpFatalErrors"));
        assertEquals(List.of("create acme/web/php-fatal-errors"), pending(acme, "rev1"));
        apply(acme, "rev1");
        assertEquals(1, check.logs.describeMetricFilters(r -> r.logGroupName(
                ResourceNames.logGroup(ACME, Component.WEB)).filterNamePrefix("PhpFatalErrors")).metricFilters().size());
        assertEquals(List.of(), pending(acme, "rev1"));

        // The marking pass's task definitions refer to the database this test does not create, so
        // only the steps of the filters (marked with their group's tags) are checked.
        ApplyResult marked = executor.apply(realPlan(decommissioned(acme), "rev2"), StopSignal.NEVER);
        assertTrue(marked.steps().stream().filter(st -> st.address().endsWith("-errors"))
                .allMatch(st -> st.status().name().equals("SUCCEEDED")), marked.steps().toString());
        // Those unmarked task definitions block a plain decommission: --allow-destroy stands in.
        EnvironmentPlan deletion = new Planner(new PlanOptions(true)).planEnvironment(ACME, Optional.empty(), "rev3",
                Optional.empty(), observer.observe(List.of(ACME)).environment(ACME));
        assertEquals(Set.of("acme/cavalcade/database-errors", "acme/cavalcade/php-fatal-errors",
                "acme/web/database-errors", "acme/web/php-fatal-errors"), deletion.actions().stream()
                .filter(c -> c.action() == Action.DELETE && c.address().endsWith("-errors"))
                .map(c -> c.address()).collect(java.util.stream.Collectors.toSet()));
        List<io.terrace.planner.Change> filterDeletes = deletion.changes().stream()
                .filter(c -> c.address().endsWith("-errors")).toList();
        ApplyResult deleted = executor.apply(new EnvironmentPlan(ACME, deletion.tier(), deletion.stage(), "rev3",
                Optional.empty(), filterDeletes, List.of(filterDeletes.stream().map(c -> c.address()).toList()),
                List.of(), deletion.region()), StopSignal.NEVER);
        assertEquals(Outcome.APPLIED, deleted.outcome(), () -> deleted.error().orElse("") + "\n" + deleted.steps());
        assertEquals(List.of(), check.logs.describeMetricFiltersPaginator(r -> r.limit(50)).metricFilters().stream()
                .filter(f -> f.logGroupName().startsWith("/terrace/acme/")).toList(), "no filter of acme left");
    }

    @Test
    void anObserveAcrossRegionsMakesEachGlobalReadOnce() {
        List<String> names = new ArrayList<>();
        Map<String, software.amazon.awssdk.regions.Region> regionByEnv = new java.util.TreeMap<>();
        List<software.amazon.awssdk.regions.Region> regions = List.of(software.amazon.awssdk.regions.Region.EU_WEST_1,
                software.amazon.awssdk.regions.Region.US_EAST_1, software.amazon.awssdk.regions.Region.EU_CENTRAL_1);
        for (int i = 0; i < 3 * (io.terrace.reconciler.aws.ServiceObserver.FEW + 1); i++) {
            EnvironmentSpec spec = TestSpecs.standard("roles" + i);
            names.add(spec.name());
            regionByEnv.put(spec.name(), regions.get(i % regions.size()));
            List<io.terrace.planner.Resource> roles = TestPlanner.desired(spec, "rev1").stream()
                    .filter(r -> r.type() == io.terrace.planner.ResourceType.IAM_ROLE)
                    .map(r -> new io.terrace.planner.Resource(r.address(), r.type(), r.component(), r.name(),
                            r.attributes(), r.tags(), Set.of()))
                    .toList();
            List<io.terrace.planner.Change> creates = roles.stream().map(r -> new io.terrace.planner.Change(
                    r.address(), r.type(), Action.CREATE, List.of(), Optional.of(r), Optional.empty(), "missing",
                    Optional.empty())).toList();
            ApplyResult result = executor.apply(new EnvironmentPlan(spec.name(), Optional.of(spec.tier()),
                    Optional.of(spec.stage()), "rev1", Optional.empty(), creates,
                    List.of(roles.stream().map(r -> r.address()).toList()), List.of(), Optional.empty()),
                    StopSignal.NEVER);
            assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + "\n" + result.steps());
            String bucket = ResourceNames.assetsBucket(spec.name());
            check.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(Moto.REGION.id())));
        }
        Set<ObservedResource> byOneRegion = Set.copyOf(new IamObserver(aws).observe(names));

        AwsCallCounter counter = new AwsCallCounter();
        try (AwsRegions everywhere = new AwsRegions(Optional.of(Moto.endpoint()), Optional.empty(), counter)) {
            io.terrace.planner.ObservedState observed = everywhere.observe(regionByEnv);

            // IAM, S3's bucket list, CloudFront and CLOUDFRONT web ACLs are global: three regions share one read of each.
            for (String globalRead : List.of("Iam:GetAccountAuthorizationDetails", "S3:ListBuckets",
                    "CloudFront:ListDistributions", "Wafv2:ListWebACLs")) {
                assertEquals(1L, counter.snapshot().get(globalRead), globalRead + ": " + counter.snapshot());
            }
            assertEquals(byOneRegion, observed.resources().values().stream()
                    .filter(r -> r.type() == io.terrace.planner.ResourceType.IAM_ROLE)
                    .collect(java.util.stream.Collectors.toSet()), "each region takes its environments' roles");
            assertEquals(Set.copyOf(names), observed.resources().values().stream()
                    .filter(r -> r.type() == io.terrace.planner.ResourceType.S3_BUCKET)
                    .map(ObservedResource::environment)
                    .collect(java.util.stream.Collectors.toSet()), "each region takes its environments' buckets");
        }
    }

    @Test
    void observingRolesAndLogGroupsCostsAFewCallsForManyEnvironments() {
        int environments = 20;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < environments; i++) {
            EnvironmentSpec spec = TestSpecs.standard("env" + i);
            names.add(spec.name());
            List<io.terrace.planner.Resource> identity = TestPlanner.desired(spec, "rev1").stream()
                    .filter(r -> r.type() == io.terrace.planner.ResourceType.IAM_ROLE
                            || r.type() == io.terrace.planner.ResourceType.LOG_GROUP
                            || r.type() == io.terrace.planner.ResourceType.LOG_METRIC_FILTER)
                    .map(r -> new io.terrace.planner.Resource(r.address(), r.type(), r.component(), r.name(),
                            r.attributes(), r.tags(), Set.of()))
                    .toList();
            List<io.terrace.planner.Change> creates = identity.stream().map(r -> new io.terrace.planner.Change(
                    r.address(), r.type(), Action.CREATE, List.of(), Optional.of(r), Optional.empty(), "missing",
                    Optional.empty())).toList();
            EnvironmentPlan plan = new EnvironmentPlan(spec.name(), Optional.of(spec.tier()), Optional.of(spec.stage()),
                    "rev1", Optional.empty(), creates, List.of(identity.stream().map(r -> r.address()).toList()),
                    List.of(), Optional.empty());
            ApplyResult result = executor.apply(plan, StopSignal.NEVER);
            assertEquals(Outcome.APPLIED, result.outcome(), () -> result.error().orElse("") + "\n" + result.steps());
        }

        aws.counter().reset();
        List<ObservedResource> roles = new IamObserver(aws).observe(names);
        Map<String, Long> iamCalls = aws.counter().snapshot();
        aws.counter().reset();
        List<ObservedResource> groups = new LogsObserver(aws).observe(names);
        Map<String, Long> logsCalls = aws.counter().snapshot();

        assertEquals(environments * 5, roles.size());
        assertEquals(environments * 14, groups.size(),
                "four container groups, four search groups, two database groups and four metric filters each");
        long iam = iamCalls.values().stream().mapToLong(Long::longValue).sum();
        long logs = logsCalls.values().stream().mapToLong(Long::longValue).sum();
        long listTags = logsCalls.getOrDefault("CloudWatchLogs:ListTagsForResource", 0L);
        System.out.printf("terrace: %d environments: IAM %s; Logs %s; per environment IAM %.2f, Logs %.2f%n",
                environments, iamCalls, logsCalls, iam / (double) environments, logs / (double) environments);
        assertEquals(Map.of("Iam:GetAccountAuthorizationDetails", 1L), iamCalls, "one page for every role");
        assertEquals(0, listTags, "every group's tags come from the tagging sweep: " + logsCalls);
        assertTrue(logs <= 10, "four pages of /terrace/ groups, one of database groups, two of filters"
                + " and three pages of the tagging sweep (200 groups, 100 a page): " + logsCalls);

        // One environment among the twenty ("env1", whose name starts "env10".."env19"'s): its own
        // prefixes, groups and tags, not the region's pages; the same resources as in the batch.
        aws.counter().reset();
        List<ObservedResource> one = new LogsObserver(aws).observe(List.of("env1"));
        Map<String, Long> oneCalls = aws.counter().snapshot();
        assertEquals(groups.stream().filter(r -> r.environment().equals("env1")).map(ObservedResource::address)
                .sorted().toList(), one.stream().map(ObservedResource::address).sorted().toList());
        assertEquals(one.stream().filter(r -> r.environment().equals("env1")).count(), one.size());
        assertEquals(1L, oneCalls.get("ResourceGroupsTaggingApi:GetResources"), "its tags alone: " + oneCalls);
        assertTrue(oneCalls.get("CloudWatchLogs:DescribeLogGroups") <= 3, "its own prefixes: " + oneCalls);
        assertEquals(0L, oneCalls.getOrDefault("CloudWatchLogs:ListTagsForResource", 0L), oneCalls.toString());
    }

    /**
     * A role's and a log group's create do not read them back: what each returns must be what a
     * read then finds, attribute for attribute.
     */
    @Test
    void whatARolesOrALogGroupsCreateReturnsIsWhatIsLive() {
        EnvironmentSpec acme = TestSpecs.standard(ACME);
        apply(acme, "rev1");
        Map<String, ObservedResource> observed = new HashMap<>();
        observer.observe(List.of(ACME)).environment(ACME).forEach(o -> observed.put(o.address(), o));
        Map<ResourceType, ResourceDriver> drivers = Map.of(ResourceType.IAM_ROLE, new IamRoleDriver(aws),
                ResourceType.LOG_GROUP, new LogGroupDriver(aws));
        int compared = 0;
        for (Resource r : DesiredState.compile(acme, "rev1")) {
            ResourceDriver driver = drivers.get(r.type());
            if (driver == null) {
                continue;
            }
            Resource desired = r.resolvedForApply(a -> Optional.ofNullable(observed.get(a)));
            DataTestContext context = new DataTestContext(aws);
            driver.delete(observed.get(r.address()), context);
            aws.counter().reset();
            ObservedResource created = new ManagedDriver(driver).create(desired, context);
            Map<String, Long> calls = aws.counter().snapshot();
            assertEquals(0L, calls.getOrDefault("Iam:GetRolePolicy", 0L), r.address() + ": " + calls);
            assertTrue(calls.getOrDefault("CloudWatchLogs:DescribeLogGroups", 0L) <= 1, r.address() + ": " + calls);
            ObservedResource live = ((LiveRead.Present) driver.read(desired, context)).resource();
            assertEquals(live, created, r.address());
            compared++;
        }
        assertTrue(compared >= 8, "roles and log groups compared: " + compared);
        assertEquals(List.of(), pending(acme, "rev1"), "steady after the creates");
    }

    // --- helpers ---

    private void apply(EnvironmentSpec spec, String revision) {
        EnvironmentPlan plan = TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name())));
        ApplyResult result = executor.apply(plan, StopSignal.NEVER);
        assertTrue(result.outcome() == Outcome.APPLIED || result.outcome() == Outcome.NO_CHANGES,
                () -> result.outcome() + ": " + result.error().orElse("") + "\n" + result.steps());
    }

    /** What a plan would change, as "action address attribute..." lines (tags left out). */
    private List<String> pending(EnvironmentSpec spec, String revision) {
        return TestPlanner.plan(spec, revision, observer.observe(List.of(spec.name()))).actions().stream()
                .map(c -> c.action().id() + " " + c.address() + c.attributes().stream()
                        .map(a -> " " + a.path()).collect(java.util.stream.Collectors.joining()))
                .toList();
    }

    private static List<Component> components(EnvironmentSpec spec) {
        List<Component> out = new ArrayList<>(List.of(Component.WEB, Component.CAVALCADE, Component.TACHYON));
        if (spec.application().sandbox().enabled()) {
            out.add(Component.SANDBOX);
        }
        return out;
    }

    private Role role(String name) {
        return check.iam.getRole(r -> r.roleName(name)).role();
    }

    private Optional<LogGroup> logGroup(String name) {
        return check.logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(name)).findFirst();
    }

    private JsonNode inlinePolicy(String role) throws Exception {
        return JSON.readTree(decode(check.iam.getRolePolicy(r -> r.roleName(role)
                .policyName(RolePolicies.POLICY_NAME)).policyDocument()));
    }

    private static boolean trusts(Role role, String service) throws Exception {
        return JSON.readTree(decode(role.assumeRolePolicyDocument())).toString().contains(service);
    }

    private static String decode(String document) {
        return document.trim().startsWith("%") ? URLDecoder.decode(document, StandardCharsets.UTF_8) : document;
    }

    /** Every value of {@code key} over the statements, a single string or a list. */
    private static Set<String> values(JsonNode policy, String key) {
        Set<String> out = new TreeSet<>();
        for (JsonNode s : policy.get("Statement")) {
            JsonNode v = s.get(key);
            if (v == null) {
                continue;
            }
            if (v.isArray()) {
                v.forEach(x -> out.add(x.asText()));
            } else {
                out.add(v.asText());
            }
        }
        return out;
    }

    /** The value a statement allowing {@code action} requires of condition key {@code key}. */
    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode s : policy.get("Statement")) {
            if (sid.equals(s.path("Sid").asText())) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sid + ": " + policy);
    }

    private static String condition(JsonNode policy, String action, String key) {
        for (JsonNode s : policy.get("Statement")) {
            if (s.get("Action").toString().contains(action)) {
                return s.get("Condition").get("StringEquals").get(key).asText();
            }
        }
        throw new AssertionError("no statement allows " + action + ": " + policy);
    }

    private List<String> rolesTaggedWith(String env) {
        List<String> out = new ArrayList<>();
        for (Role r : check.iam.listRolesPaginator(b -> b.pathPrefix("/")).roles()) {
            boolean tagged = check.iam.listRoleTags(b -> b.roleName(r.roleName())).tags().stream()
                    .anyMatch(t -> t.key().equals(ObservedResource.ENVIRONMENT) && t.value().equals(env));
            if (tagged) {
                out.add(r.roleName());
            }
        }
        return out;
    }

    private List<String> groupsTaggedWith(String env) {
        List<String> out = new ArrayList<>();
        for (LogGroup g : check.logs.describeLogGroupsPaginator(b -> b.limit(50)).logGroups()) {
            if (env.equals(check.logs.listTagsForResource(b -> b.resourceArn(LogGroups.arn(g))).tags()
                    .get(ObservedResource.ENVIRONMENT))) {
                out.add(g.logGroupName());
            }
        }
        return out;
    }

    /** The real planner's plan, cut to the resource types these drivers cover (no database, cache, search, CDN). */
    private EnvironmentPlan realPlan(EnvironmentSpec spec, String revision) {
        EnvironmentPlan full = new Planner(PlanOptions.DEFAULT).planEnvironment(spec.name(),
                Optional.of(new io.terrace.schema.SpecResult.Valid(spec.name(), "environments/" + spec.name() + ".yaml",
                        spec)), revision, Optional.empty(), observer.observe(List.of(spec.name())).environment(spec.name()));
        List<io.terrace.planner.Change> changes = full.changes().stream()
                .filter(c -> TestPlanner.CORE.contains(c.type())
                        && (!c.address().contains("/database/") || c.type() == io.terrace.planner.ResourceType.LOG_GROUP))
                .map(IdentityAndLogsIT::withoutDataEndpoints).toList();
        Set<String> kept = new java.util.HashSet<>();
        changes.forEach(c -> kept.add(c.address()));
        List<List<String>> waves = full.waves().stream()
                .map(w -> w.stream().filter(kept::contains).toList()).filter(w -> !w.isEmpty()).toList();
        return new EnvironmentPlan(full.name(), full.tier(), full.stage(), full.revision(), full.pausedReason(),
                changes, waves, full.diagnostics(), full.region());
    }

    /** A change whose containers no longer name the data services' endpoints, which these tests do not create. */
    private static io.terrace.planner.Change withoutDataEndpoints(io.terrace.planner.Change c) {
        return new io.terrace.planner.Change(c.address(), c.type(), c.action(), c.attributes(),
                c.desired().map(r -> new io.terrace.planner.Resource(r.address(), r.type(), r.component(), r.name(),
                        TestPlanner.withoutRefs(r.attributes()), r.tags(), r.dependsOn())),
                c.observed(), c.reason(), c.blockedBy());
    }

    private static EnvironmentSpec decommissioned(EnvironmentSpec s) {
        return new EnvironmentSpec(s.name(), s.client(), s.tier(), s.stage(), s.region(), s.availability(), s.paused(),
                s.drift(), true, s.application(), s.database(), s.cache(), s.search(), s.assets(), s.cdn(), s.tags(),
                s.network(), s.monitoring(), s.logs());
    }
}
