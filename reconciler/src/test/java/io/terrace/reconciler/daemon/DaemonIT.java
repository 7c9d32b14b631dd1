package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Component;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.NeedsMoto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * {@code terrace daemon} as a separate process against moto, driven by commits to a real git
 * repository and checked through its HTTP API and the AWS APIs.
 */
@NeedsMoto
class DaemonIT extends DaemonProcessFixture {

    private static final Duration CONVERGE = Duration.ofMinutes(3);


    @Test
    void commitsCreateChangePauseAndResumeAnEnvironment() throws Exception {
        daemon = start("1s", "1h");

        String created = commit("it-acme", "1.0.0", "new environment it-acme");
        awaitApplied("it-acme", created);
        assertEquals(1, clusters("it-acme"), "the ECS cluster exists");
        assertTrue(aws.s3.headBucket(b -> b.bucket(ResourceNames.assetsBucket("it-acme"))) != null);
        assertEquals("registry.example.com/acme/app:1.0.0", webImage("it-acme"));
        String metrics = daemon.text("/metrics");
        assertTrue(metrics.contains("terrace_aws_calls_total{operation=\"CreateService\",service=\"Ecs\"}"), metrics);
        // One pass created the environment and, once its distribution existed, told the web
        // containers its domain: no second pass observed the environment again to add it.
        assertTrue(webEnvironment("it-acme").containsKey("CDN_DOMAIN"), webEnvironment("it-acme").toString());
        double applies = metrics.lines()
                .filter(l -> l.startsWith("terrace_applies_total{environment=\"it-acme\",outcome=\"applied\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals(1.0, applies, metrics);
        assertEquals(1, daemon.log().lines().filter(l -> l.contains("event=reconcile env=it-acme ")).count(),
                daemon.log());

        String changed = commit("it-acme", "1.1.0", "it-acme 1.1.0");
        awaitApplied("it-acme", changed);
        assertEquals("registry.example.com/acme/app:1.1.0", webImage("it-acme"));

        origin.write("PAUSE", "IT freeze: release day\n");
        String paused = commit("it-acme", "1.2.0", "pause, and a change that must wait");
        await().atMost(CONVERGE).until(() -> {
            JsonNode s = daemon.environment("it-acme");
            return s.path("revision").asText().equals(paused) && s.path("status").asText().equals("paused");
        });
        JsonNode status = daemon.environment("it-acme");
        assertTrue(status.path("reason").asText().contains("IT freeze: release day"), status.toString());
        assertTrue(status.path("pendingChanges").asInt() > 0, status.toString());
        assertEquals("registry.example.com/acme/app:1.1.0", webImage("it-acme"), "nothing applied while paused");

        origin.delete("PAUSE");
        String resumed = origin.commit("resume");
        await().atMost(CONVERGE).until(() -> webImage("it-acme").endsWith(":1.2.0"));
        awaitStatus("it-acme", "synced");
        assertEquals(paused, daemon.environment("it-acme").path("lastAppliedRevision").asText(),
                "the environment's revision is the commit that last changed its file, not " + resumed);
    }

    @Test
    void outOfBandDriftIsCorrectedOrOnlyReportedByPolicy() throws Exception {
        daemon = start("1s", "4s");
        origin.write(path("it-fix"), environment("it-fix", "1.0.0"));
        origin.write(path("it-watch"), environment("it-watch", "1.0.0", "drift: report"));
        String commit = origin.commit("two environments");
        awaitApplied("it-fix", commit);
        awaitApplied("it-watch", commit);
        // The CDN domain the containers are told is known once the distribution exists, after the
        // first apply: the pass that follows at once adds it, as a pending change, not as drift.
        await().atMost(CONVERGE).until(() -> webEnvironment("it-watch").containsKey("CDN_DOMAIN")
                && daemon.environment("it-watch").path("status").asText().equals("synced"));
        await().atMost(CONVERGE).until(() -> webEnvironment("it-fix").containsKey("CDN_DOMAIN"));

        scaleWeb("it-fix", 40);
        scaleWeb("it-watch", 40);

        await().atMost(CONVERGE).until(() -> webDesiredCount("it-fix") <= 2);
        await().atMost(CONVERGE).until(() -> daemon.environment("it-watch").path("status").asText().equals("drifted"));
        // A pass may see the drift before a sweep reports it (a sweep taken during the first apply
        // saw pending changes, not drift): the next sweep's report has it.
        await().atMost(CONVERGE).until(() -> entry(daemon.json("/api/drift"), "it-watch").path("resources").size() > 0);
        JsonNode watched = entry(daemon.json("/api/drift"), "it-watch");
        assertEquals("report", watched.path("policy").asText());
        java.util.List<String> drifted = new java.util.ArrayList<>();
        watched.path("resources").forEach(r -> drifted.add(r.path("address").asText()));
        assertEquals(java.util.List.of("it-watch/web/service"), drifted, "only what was changed out of band");
        assertEquals(40, webDesiredCount("it-watch"), "drift: report leaves live state alone");
    }

    @Test
    void sigtermDuringAnApplyThenRestartConvergesWithoutDuplicates() throws Exception {
        daemon = start("1s", "1h");
        String commit = commit("it-kill", "1.0.0", "new environment it-kill");
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50))
                .until(() -> daemon.log().contains("event=revision") && stackExists("it-kill"));
        int exit = daemon.terminate();
        String firstRun = daemon.log();
        assertTrue(firstRun.contains("event=stopped"), "clean shutdown:\n" + firstRun);
        assertTrue(firstRun.contains("env=it-kill") && firstRun.contains("outcome=stopped"),
                "the apply was stopped between two waves:\n" + firstRun);
        assertEquals(143, exit, "terminated by SIGTERM after the shutdown hook ran");

        daemon = start("1s", "1h");
        awaitApplied("it-kill", commit);
        assertEquals(1, clusters("it-kill"));
        assertEquals(1, distributions("it-kill"), "one CloudFront distribution, not two");
        assertEquals(1, aws.cloudFormation.describeStacks(b -> b.stackName(ResourceNames.networkStack("it-kill")))
                .stacks().size());
    }

    @Test
    void eachEnvironmentIsReconciledInItsSpecsRegion() throws Exception {
        daemon = start("1s", "1h");
        origin.write(path("it-oregon"), environment("it-oregon", "1.0.0").replace("region: eu-west-1", "region: us-west-2"));
        String commit = origin.commit("an environment in us-west-2");
        awaitApplied("it-oregon", commit);

        try (AwsClients oregon = new AwsClients(Region.US_WEST_2, Optional.of(endpoint), new AwsCallCounter())) {
            assertEquals(1, oregon.ecs.describeClusters(b -> b.clusters(ResourceNames.ecsCluster("it-oregon")))
                    .clusters().stream().filter(c -> c.status().equals("ACTIVE")).count());
        }
        assertEquals(0, clusters("it-oregon"), "nothing in the daemon's default region");
    }

    @Test
    void aDeletedSpecsEnvironmentIsRemovedInTheRegionItIsFoundIn() throws Exception {
        daemon = start("1s", "1h");
        // The daemon looks for environments without a spec in the regions the specs name and in its
        // default region (eu-west-1): it-oregon keeps us-west-2 among them.
        origin.write(path("it-oregon"), environment("it-oregon", "1.0.0").replace("region: eu-west-1", "region: us-west-2"));
        origin.write(path("it-gone"), environment("it-gone", "1.0.0", "decommission: true")
                .replace("region: eu-west-1", "region: us-west-2"));
        String created = origin.commit("two environments in us-west-2, one decommissioned");
        awaitApplied("it-oregon", created);
        awaitApplied("it-gone", created);

        try (AwsClients oregon = new AwsClients(Region.US_WEST_2, Optional.of(endpoint), new AwsCallCounter())) {
            assertEquals(1, activeClusters(oregon, "it-gone"));
            int before = daemon.log().length();
            origin.delete(path("it-gone"));
            origin.commit("it-gone: gone for good");

            // No spec names its region any more: the pass finds the environment live in us-west-2 (moto's
            // tagging API lists its bucket and distribution in eu-west-1 too, but its regional resources
            // are in us-west-2), plans its deletion there and applies it there.
            try {
                await().atMost(CONVERGE).until(() -> activeClusters(oregon, "it-gone") == 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(daemon.log().substring(before), e);
            }
            // The clusters go in an early wave; the bucket and the network stack in later ones of the same apply.
            await().atMost(CONVERGE).until(() -> oregon.s3.listBuckets().buckets().stream()
                    .noneMatch(b -> b.name().equals(ResourceNames.assetsBucket("it-gone"))));
            await().atMost(CONVERGE).until(() -> stackGone(oregon, ResourceNames.networkStack("it-gone")));
            await().atMost(CONVERGE).until(() -> daemon.log().substring(before).lines()
                    .anyMatch(l -> l.contains("event=reconcile env=it-gone ") && l.contains("outcome=applied")));
            assertEquals(1, activeClusters(oregon, "it-oregon"), "the other environment is untouched");
        }
        assertEquals(0, clusters("it-gone"), "nothing in the daemon's default region");
        assertFalse(daemon.log().contains("names no region"), daemon.log());
    }

    private DaemonProcess start(String poll, String driftInterval) throws Exception {
        return DaemonProcess.start(origin.dir(), tmp.resolve("data"), endpoint, poll, driftInterval,
                tmp.resolve("daemon.log"));
    }

    private String commit(String env, String tag, String message) {
        origin.write(path(env), environment(env, tag));
        return origin.commit(message);
    }

    private void awaitApplied(String env, String revision) {
        await().atMost(CONVERGE).until(() -> {
            JsonNode s = daemon.environment(env);
            if (s.path("status").asText().equals("invalid")) {
                throw new AssertionError(s.toString());
            }
            return s.path("lastAppliedRevision").asText().equals(revision);
        });
    }

    private void awaitStatus(String env, String status) {
        await().atMost(CONVERGE).until(() -> daemon.environment(env).path("status").asText().equals(status));
    }

    private long clusters(String env) {
        return aws.ecs.describeClusters(b -> b.clusters(ResourceNames.ecsCluster(env))).clusters().stream()
                .filter(c -> c.status().equals("ACTIVE")).count();
    }

    private static long activeClusters(AwsClients in, String env) {
        return in.ecs.describeClusters(b -> b.clusters(ResourceNames.ecsCluster(env))).clusters().stream()
                .filter(c -> c.status().equals("ACTIVE")).count();
    }

    private static boolean stackGone(AwsClients in, String stack) {
        try {
            return in.cloudFormation.describeStacks(b -> b.stackName(stack)).stacks().stream()
                    .allMatch(st -> st.stackStatusAsString().equals("DELETE_COMPLETE"));
        } catch (RuntimeException e) {
            return true;
        }
    }

    private long distributions(String env) {
        var list = aws.cloudFront.listDistributions(b -> { }).distributionList();
        return list.items() == null ? 0 : list.items().stream()
                .filter(d -> d.comment().equals(ResourceNames.cdnComment(env))).count();
    }

    private boolean stackExists(String env) {
        try {
            return !aws.cloudFormation.describeStacks(b -> b.stackName(ResourceNames.networkStack(env))).stacks().isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String webImage(String env) {
        var service = aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(env))
                .services(ResourceNames.ecsService(Component.WEB))).services().get(0);
        return aws.ecs.describeTaskDefinition(b -> b.taskDefinition(service.taskDefinition()))
                .taskDefinition().containerDefinitions().get(0).image();
    }

    private java.util.Map<String, String> webEnvironment(String env) {
        var service = aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(env))
                .services(ResourceNames.ecsService(Component.WEB))).services().get(0);
        java.util.Map<String, String> vars = new java.util.TreeMap<>();
        aws.ecs.describeTaskDefinition(b -> b.taskDefinition(service.taskDefinition()))
                .taskDefinition().containerDefinitions().get(0).environment().forEach(kv -> vars.put(kv.name(), kv.value()));
        return vars;
    }

    private int webDesiredCount(String env) {
        return aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(env))
                .services(ResourceNames.ecsService(Component.WEB))).services().get(0).desiredCount();
    }

    private void scaleWeb(String env, int count) {
        aws.ecs.updateService(b -> b.cluster(ResourceNames.ecsCluster(env))
                .service(ResourceNames.ecsService(Component.WEB)).desiredCount(count));
    }

    private static JsonNode entry(JsonNode report, String env) {
        for (JsonNode e : report.path("environments")) {
            if (e.path("environment").asText().equals(env)) {
                return e;
            }
        }
        throw new AssertionError("no " + env + " in " + report);
    }
}
