package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Component;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.git.SpecRepo;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code terrace daemon} processes without {@code --cluster} on one moto account, following
 * two repositories that disagree on an image: one applies, the other plans and names the holder,
 * and takes over when the holder is killed and its lease expires.
 */
@NeedsMoto
class TwoDaemonsIT {

    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final String ENV = "it-shared";

    @TempDir
    Path tmp;
    URI endpoint;
    AwsClients aws;
    SpecRepo alphaSpecs;
    SpecRepo bravoSpecs;
    DaemonProcess alpha;
    DaemonProcess bravo;

    @BeforeEach
    void setUp() {
        endpoint = Moto.endpoint();
        Moto.reset();
        aws = Moto.clients();
        alphaSpecs = SpecRepo.init(tmp.resolve("alpha-specs"));
        bravoSpecs = SpecRepo.init(tmp.resolve("bravo-specs"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (DaemonProcess d : new DaemonProcess[] {alpha, bravo}) {
            if (d != null) {
                d.close();
            }
        }
        alphaSpecs.close();
        bravoSpecs.close();
        aws.close();
    }

    @Test
    void oneDaemonAppliesTheOtherWaitsAndTakesOverWhenTheHolderDies() throws Exception {
        alphaSpecs.write(path(ENV), environment(ENV, "1.0.0"));
        String alphaCommit = alphaSpecs.commit("it-shared 1.0.0");
        bravoSpecs.write(path(ENV), environment(ENV, "2.0.0"));
        String bravoCommit = bravoSpecs.commit("it-shared 2.0.0");

        alpha = start("alpha", alphaSpecs);
        await().atMost(CONVERGE).until(() -> alpha.environment(ENV).path("lastAppliedRevision").asText()
                .equals(alphaCommit));
        bravo = start("bravo", bravoSpecs);

        // Bravo asks again whenever alpha's lease would expire (every few seconds): a few of its
        // passes go by, and none applies.
        await().atMost(CONVERGE).until(() -> bravo.environment(ENV).path("passes").asInt() >= 3);
        JsonNode seen = bravo.environment(ENV);
        assertEquals("out-of-sync", seen.path("status").asText(), seen.toString());
        assertTrue(seen.path("reason").asText().startsWith("locked by alpha (" + alphaSpecs.dir() + " main) since "),
                seen.toString());
        assertEquals("registry.example.com/acme/app:1.0.0", webImage());
        assertEquals("synced", alpha.environment(ENV).path("status").asText());
        assertTrue(bravo.text("/metrics").contains("terrace_lease_held{region=\"eu-west-1\"} 0.0"));
        assertTrue(!bravo.text("/metrics").contains("terrace_applies_total"), "bravo applied nothing");

        alpha.kill();
        await().atMost(CONVERGE).until(() -> bravo.environment(ENV).path("lastAppliedRevision").asText()
                .equals(bravoCommit));
        assertEquals("registry.example.com/acme/app:2.0.0", webImage());
        assertEquals("synced", bravo.environment(ENV).path("status").asText());
        assertTrue(bravo.log().contains("event=lease region=eu-west-1 holder=\"this node\" node=bravo"), bravo.log());
    }

    private DaemonProcess start(String node, SpecRepo specs) throws Exception {
        DaemonProcess d = DaemonProcess.launch(specs.dir(), tmp.resolve(node + "-data"), endpoint, "1s", "1h",
                tmp.resolve(node + ".log"), List.of("--node-id", node, "--lease-ttl", "6s"), Map.of());
        d.awaitReady();
        return d;
    }

    private String webImage() {
        var service = aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(ENV))
                .services(ResourceNames.ecsService(Component.WEB))).services().get(0);
        return aws.ecs.describeTaskDefinition(b -> b.taskDefinition(service.taskDefinition()))
                .taskDefinition().containerDefinitions().get(0).image();
    }
}
