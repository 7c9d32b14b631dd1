package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsObserver;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.schema.SpecRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * {@code terrace daemon --origin-secret-max-age} as a separate process against moto: a daemon with a
 * tiny maximum age rotates an applied environment's origin secret by itself, read back with
 * separate clients (Secrets Manager, CloudFront's origin header, the load balancer's rules), recorded
 * in the history and counted; the environment then plans no change. A paused one is left alone:
 * the checks are seen to run and hold it (their counter), then nothing has changed.
 */
@NeedsMoto
class OriginSecretScheduleIT extends DaemonProcessFixture {

    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final String ENV = "it-rotate";


    @Test
    void theDaemonRotatesAnOriginSecretOlderThanTheMaximumAge() throws Exception {
        // Applied by a daemon that never rotates.
        daemon = start("off");
        origin.write(path(ENV), environment(ENV, "1.0.0"));
        String revision = origin.commit("new environment " + ENV);
        awaitSynced(revision);
        String before = secret();
        assertEquals(List.of(before), loadBalancerAccepts());
        assertEquals(List.of(before), cloudFrontSends());
        assertTrue(rotations(daemon.environment(ENV)).isEmpty(), "off: no rotation");
        daemon.close();

        daemon = start("15s");
        await().atMost(CONVERGE).until(() -> !rotations(daemon.environment(ENV)).isEmpty());
        JsonNode rotation = rotations(daemon.environment(ENV)).get(0);
        assertEquals("rotate-origin-secret", rotation.path("trigger").asText(), rotation.toString());
        assertEquals("succeeded", rotation.path("outcome").asText(), rotation.toString());
        assertEquals(ENV + "/network/origin-secret", rotation.path("actions").get(0).path("address").asText());
        assertTrue(daemon.text("/metrics").contains("terrace_origin_secret_rotations_total{result=\"succeeded\"}"));
        daemon.close();
        daemon = null;

        String after = secret();
        assertNotEquals(before, after);
        assertEquals(List.of(after), cloudFrontSends(), "CloudFront sends the new value");
        assertEquals(List.of(after), loadBalancerAccepts(), "the load balancer accepts the new value only");
        assertFalse(OriginSecrets.rotating(aws.secretsManager.describeSecret(r -> r.secretId(OriginSecrets.name(ENV)))
), "the rotation finished");
        String log = java.nio.file.Files.readString(tmp.resolve("daemon.log"));
        assertTrue(log.contains("origin-secret-rotated"), log);
        assertFalse(log.contains(before) || log.contains(after), "the values are never logged");
        EnvironmentPlan plan = plan(revision);
        assertEquals(List.of(), plan.actions().stream().map(Change::address).toList(), "nothing to change after a rotation");
    }

    @Test
    void aPausedEnvironmentIsNotRotated() throws Exception {
        daemon = start("off");
        origin.write(path(ENV), environment(ENV, "1.0.0"));
        String revision = origin.commit("new environment " + ENV);
        awaitSynced(revision);
        String before = secret();
        origin.write("PAUSE", "freeze\n");
        origin.commit("pause");
        await().atMost(CONVERGE).until(() -> daemon.environment(ENV).path("status").asText().equals("paused"));
        daemon.close();

        daemon = start("2s");
        // Positive sign: the check ran (twice, so not only a first check racing the pause) and held it.
        await().atMost(CONVERGE).until(() -> checks("held") >= 2);
        assertEquals(0.0, checks("fresh") + checks("rotated") + checks("failed"), "held every time: no DescribeSecret");
        assertTrue(rotations(daemon.environment(ENV)).isEmpty(), daemon.environment(ENV).toString());
        assertEquals(before, secret());
        assertFalse(OriginSecrets.rotating(aws.secretsManager.describeSecret(r -> r.secretId(OriginSecrets.name(ENV)))),
                "no rotation started");
        String log = java.nio.file.Files.readString(tmp.resolve("daemon.log"));
        assertTrue(log.lines().anyMatch(l -> l.contains("origin-secret-held") && l.contains(ENV) && l.contains("paused: ")),
                log);
    }

    /** {@code terrace_origin_secret_checks_total} of the environment and result, as the daemon exposes it. */
    private double checks(String result) throws java.io.IOException {
        String series = "terrace_origin_secret_checks_total{environment=\"" + ENV + "\",result=\"" + result + "\"} ";
        return daemon.text("/metrics").lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()))).sum();
    }

    private DaemonProcess start(String maxAge) throws Exception {
        DaemonProcess d = DaemonProcess.launch(origin.dir(), tmp.resolve("data"), endpoint, "1s", "1h",
                tmp.resolve("daemon.log"), List.of("--origin-secret-max-age", maxAge), Map.of());
        d.awaitReady();
        return d;
    }

    private void awaitSynced(String revision) {
        await().atMost(CONVERGE).until(() -> {
            JsonNode s = daemon.environment(ENV);
            return s.path("lastAppliedRevision").asText().equals(revision) && s.path("status").asText().equals("synced");
        });
        // The pass after the first apply tells the containers the CDN domain: wait for all of it.
        await().atMost(CONVERGE).until(() -> plan(revision).actions().isEmpty());
    }

    private static List<JsonNode> rotations(JsonNode status) {
        return StreamSupport.stream(status.path("history").spliterator(), false)
                .filter(e -> e.path("kind").asText().equals("rotation")).toList();
    }

    private String secret() {
        return aws.secretsManager.getSecretValue(r -> r.secretId(OriginSecrets.name(ENV))).secretString();
    }

    private List<String> cloudFrontSends() {
        List<String> values = new ArrayList<>();
        for (DistributionSummary d : aws.cloudFront.listDistributions(r -> { }).distributionList().items()) {
            if (!d.comment().equals(ResourceNames.cdnComment(ENV))) {
                continue;
            }
            for (Origin o : aws.cloudFront.getDistributionConfig(r -> r.id(d.id())).distributionConfig().origins().items()) {
                if (o.customHeaders() != null && o.customHeaders().hasItems()) {
                    o.customHeaders().items().stream().filter(h -> h.headerName().equals(OriginSecrets.HEADER))
                            .forEach(h -> values.add(h.headerValue()));
                }
            }
        }
        return values;
    }

    /** The distinct header values the load balancer's rules accept, over every listener. */
    private List<String> loadBalancerAccepts() {
        String lb = aws.cloudFormation.describeStacks(r -> r.stackName(ResourceNames.networkStack(ENV))).stacks().get(0)
                .outputs().stream().filter(o -> o.outputKey().equals(NetworkStacks.LOAD_BALANCER_ARN)).findFirst()
                .orElseThrow().outputValue();
        List<String> values = new ArrayList<>();
        for (Listener l : aws.elb.describeListeners(r -> r.loadBalancerArn(lb)).listeners()) {
            aws.elb.describeRules(r -> r.listenerArn(l.listenerArn())).rules().stream()
                    .flatMap(rule -> rule.conditions().stream())
                    .filter(c -> "http-header".equals(c.field()))
                    .map(RuleCondition::httpHeaderConfig)
                    .flatMap(h -> h.values().stream())
                    .filter(v -> !values.contains(v))
                    .forEach(values::add);
        }
        return values;
    }

    private EnvironmentPlan plan(String revision) {
        var specs = SpecRepository.load(Map.of(path(ENV), environment(ENV, "1.0.0").getBytes(StandardCharsets.UTF_8)),
                Optional.empty());
        var observed = new AwsObserver(aws).observe(List.of(ENV));
        return new Planner(PlanOptions.DEFAULT).plan(specs, Map.of(ENV, revision), observed).environments().stream()
                .filter(p -> p.name().equals(ENV)).findFirst().orElseThrow();
    }
}
