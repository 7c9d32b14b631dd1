package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.DriverCoverage.everyResourceTypeHasADriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * {@code terrace observe}, {@code plan} and {@code apply} as a user runs them, against moto, on a
 * copy of the example spec repository. Live state is checked through a separate SDK client.
 */
@NeedsMoto
class AwsCommandsIT {

    @TempDir
    Path repo;

    private SpecRepo specs;

    private String endpoint;
    private AwsClients check;

    @BeforeEach
    void setUp() throws IOException {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        specs = SpecRepo.ofExamples(repo);
    }

    @AfterEach
    void tearDown() {
        check.close();
    }

    @Test
    void observeWritesTheDocumentPlanReadsAndBothPlansAgree() throws IOException {
        String bucket = ResourceNames.assetsBucket("blog-dev");
        check.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        check.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                tag("terrace:managed-by", "terrace"), tag("terrace:environment", "blog-dev"),
                tag("terrace:component", "assets"))));

        Path observed = repo.resolve("observed.json");
        CliRun observe = run("observe", "--repo", repo.toString(), "--endpoint-url", endpoint, "--out", observed.toString());

        assertEquals(0, observe.exit(), observe.err());
        ObservedState state = ObservedStateJson.read(observed);
        assertEquals(List.of("blog-dev/assets/bucket"), List.copyOf(state.resources().keySet()));
        assertFalse(state.get("blog-dev/assets/bucket").orElseThrow().attributes().get("versioning").equals(true));

        CliRun live = run("plan", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev");
        CliRun fromFile = run("plan", "--repo", repo.toString(), "--observed", observed.toString(), "--env", "blog-dev");
        assertEquals(2, live.exit(), live.err());
        assertEquals(fromFile, live.withoutProgress(), "the live path plans exactly what the saved observation plans");
        assertTrue(live.out().contains("~ update blog-dev/assets/bucket"), live.out());

        // Environments whose specs name their region are not looked for by tag; the whole repository is.
        CliRun one = run("observe", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev",
                "--stats", "--out", repo.resolve("one.json").toString());
        CliRun all = run("observe", "--repo", repo.toString(), "--endpoint-url", endpoint, "--stats",
                "--out", repo.resolve("all.json").toString());
        assertEquals(0, one.exit(), one.err());
        assertFalse(one.err().contains("GetTagValues"), one.err());
        assertTrue(all.err().contains("ResourceGroupsTaggingApi:GetTagValues"), all.err());
    }

    @Test
    void applyAsksForApprovalAndOnlyYesApproves() {
        String[] blogOnly = {"apply", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev"};

        CliRun no = run(Terminal.typing("no\n", false), blogOnly);

        assertEquals(TerraceCli.ERROR, no.exit(), no.printed());
        assertTrue(no.out().contains("+ create blog-dev/assets/bucket"), "the plan comes first: " + no.out());
        assertTrue(no.out().contains("Do you want to perform these actions?\n"
                + "  Terrace will perform the actions described above.\n"
                + "  Only 'yes' will be accepted to approve.\n\n  Enter a value: \nApply cancelled.\n"), no.out());
        assertEquals(List.of(), check.s3.listBuckets().buckets(), "a cancelled apply changes nothing");

        CliRun nothing = run(Terminal.typing("", false), blogOnly);
        assertEquals(TerraceCli.ERROR, nothing.exit(), "end of input is not a yes: " + nothing.printed());
        assertEquals(List.of(), check.s3.listBuckets().buckets());

        CliRun yes = run(Terminal.typing("yes\n", false), blogOnly);

        assertEquals(TerraceCli.OK, yes.exit(), yes.printed());
        assertTrue(yes.out().contains("blog-dev: applied "), yes.out());
        assertTrue(check.s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(
                ResourceNames.assetsBucket("blog-dev"))), "applied: " + check.s3.listBuckets().buckets());
        assertTrue(yes.err().contains("blog-dev/assets/bucket: Creating...\n"), yes.err());
        assertTrue(yes.err().matches("(?s).*blog-dev/assets/bucket: Creation complete after \\d+s\n.*"), yes.err());
        assertFalse(yes.err().contains("\u001b"), "no colour when not asked for: " + yes.err());
    }

    @Test
    void applyWithoutATerminalRefusesUnlessAutoApproved() {
        CliRun refused = run("apply", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev");

        assertEquals(new CliRun(TerraceCli.ERROR, "", "terrace apply: no terminal to ask for approval: pass "
                + "--auto-approve (or --plan FILE) to apply without asking\n"), refused);
        assertEquals(List.of(), check.s3.listBuckets().buckets());

        CliRun approved = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint,
                "--env", "blog-dev");

        assertEquals(TerraceCli.OK, approved.exit(), approved.printed());
        assertFalse(approved.out().contains("Do you want"), approved.out());
        assertFalse(check.s3.listBuckets().buckets().isEmpty(), "applied");
    }

    @Test
    void applyIsRefusedWhileTheRepositoryIsPaused() throws IOException {
        Files.writeString(repo.resolve("PAUSE"), "incident 42: database migration\n");

        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev");

        assertEquals(TerraceCli.BLOCKED, apply.exit(), apply.out() + apply.err());
        assertTrue(apply.out().contains("blog-dev: paused: PAUSE file: incident 42: database migration"), apply.out());
        assertEquals(List.of(), check.s3.listBuckets().buckets());
        assertEquals(List.of(), check.cloudFormation.describeStacks().stacks());
    }

    @Test
    void applyBuildsEveryExampleEnvironmentThenConvergesAndCorrects() throws IOException {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");

        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint);

        assertEquals(0, apply.exit(), apply.out() + apply.err());
        for (String env : List.of("acme-production", "acme-staging", "blog-dev", "globex-production", "shop-staging")) {
            assertTrue(apply.out().contains(env + ": applied "), apply.out());
        }
        CliRun plan = run("plan", "--repo", repo.toString(), "--endpoint-url", endpoint);
        assertEquals(0, plan.exit(), plan.out() + plan.err());

        // a spec change, and an out-of-band change outside the range
        Path blog = repo.resolve("environments/blog-dev.yaml");
        Files.writeString(blog, Files.readString(blog).replace("max: 2 }", "max: 1 }"));
        String cluster = ResourceNames.ecsCluster("acme-staging");
        check.ecs.updateService(r -> r.cluster(cluster).service("web").desiredCount(40));
        String bucket = ResourceNames.assetsBucket("acme-staging");
        check.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

        CliRun again = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint);

        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("desiredCount: 40 -> 4"), again.out());
        assertEquals(4, check.ecs.describeServices(r -> r.cluster(cluster).services("web")).services().get(0).desiredCount());
        assertEquals(BucketVersioningStatus.ENABLED, check.s3.getBucketVersioning(r -> r.bucket(bucket)).status());
        assertEquals(1, check.autoScaling.describeScalableTargets(r -> r.serviceNamespace("ecs")
                .resourceIds("service/" + ResourceNames.ecsCluster("blog-dev") + "/web")).scalableTargets().get(0).maxCapacity());
        assertEquals(0, run("plan", "--repo", repo.toString(), "--endpoint-url", endpoint).exit());
    }

    @Test
    void driftReportsOutOfRangeChangesButNotAutoscalingNorPendingSpecChanges() throws Exception {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String first = commitAll("Example environments");
        String[] blogOnly = {"--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev"};
        assertEquals(0, run(concat(new String[] {"apply", "--auto-approve"}, blogOnly)).exit());
        assertEquals(new CliRun(0, "blog-dev: in sync at " + first + "\n", ""), run(concat("drift", blogOnly)));

        String cluster = ResourceNames.ecsCluster("blog-dev");
        check.ecs.updateService(r -> r.cluster(cluster).service("web").desiredCount(2));
        assertEquals(0, run(concat("drift", blogOnly)).exit(), "2 is inside 1..2: the autoscaler's business");

        check.ecs.updateService(r -> r.cluster(cluster).service("web").desiredCount(40));
        CliRun drifted = run(concat("drift", blogOnly));
        assertEquals(2, drifted.exit(), drifted.out() + drifted.err());
        assertTrue(drifted.out().startsWith("blog-dev: drifted, 1 resource(s) (will be corrected)\n"), drifted.out());
        assertTrue(drifted.out().contains("changed blog-dev/web/service\n      desiredCount: 40 -> 2"), drifted.out());
        assertEquals(0, run(concat(new String[] {"apply", "--auto-approve"}, blogOnly)).exit());
        assertEquals(0, run(concat("drift", blogOnly)).exit(), "corrected");

        Path blog = repo.resolve("environments/blog-dev.yaml");
        Files.writeString(blog, Files.readString(blog).replace("max: 2 }", "max: 1 }"));
        String second = commitAll("blog-dev: one web task at most");
        assertEquals(new CliRun(0, "blog-dev: pending changes (applied at " + first + ", spec at " + second
                + "): not drift\n", ""), run(concat("drift", blogOnly)));
        assertEquals(0, run(concat(new String[] {"apply", "--auto-approve"}, blogOnly)).exit());
        assertEquals(new CliRun(0, "blog-dev: in sync at " + second + "\n", ""), run(concat("drift", blogOnly)));
    }

    private String commitAll(String message) throws Exception {
        return specs.commit(message);
    }

    private static String[] concat(String[] command, String... args) {
        String[] all = java.util.Arrays.copyOf(command, command.length + args.length);
        System.arraycopy(args, 0, all, command.length, args.length);
        return all;
    }

    private static String[] concat(String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    @Test
    void aForeignSameNamedBucketBlocksOnlyItsOwnEnvironment() {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String bucket = ResourceNames.assetsBucket("shop-staging");
        check.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));

        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint,
                "--env", "shop-staging", "--env", "blog-dev");

        assertEquals(TerraceCli.BLOCKED, apply.exit(), apply.out() + apply.err());
        assertTrue(apply.out().contains("shop-staging: blocked: "), apply.out());
        assertTrue(apply.out().contains("blog-dev: applied "), apply.out());
        var tagging = org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> check.s3.getBucketTagging(r -> r.bucket(bucket)));
        assertEquals("NoSuchTagSet", tagging.awsErrorDetails().errorCode(), "never tagged: never touched");
        assertEquals(null, check.s3.getBucketVersioning(r -> r.bucket(bucket)).status(), "never versioned");
    }

    private static software.amazon.awssdk.services.s3.model.Tag tag(String k, String v) {
        return software.amazon.awssdk.services.s3.model.Tag.builder().key(k).value(v).build();
    }
}
