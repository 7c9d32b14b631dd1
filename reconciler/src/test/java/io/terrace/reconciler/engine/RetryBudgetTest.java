package io.terrace.reconciler.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.terrace.reconciler.engine.TestPlans.create;
import static io.terrace.reconciler.engine.TestPlans.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.planner.Component;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TransientFailure;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * One retry budget per change: the SDK's attempts per call times the executor's attempts per step,
 * measured on a real SDK client against an endpoint that throttles every call.
 */
class RetryBudgetTest {

    /** The most calls one throttled write may send before its step fails. */
    private static final int BUDGET = 6;
    private static final Resource CLUSTER = resource(Component.CLUSTER, "cluster", ResourceType.ECS_CLUSTER);

    private WireMockServer ecs;
    private AwsClients aws;

    @BeforeEach
    void throttleEverything() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        ecs = new WireMockServer(wireMockConfig().dynamicPort());
        ecs.start();
        ecs.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-ErrorType", "ThrottlingException")
                .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        aws = new AwsClients(Region.EU_WEST_1, Optional.of(URI.create(ecs.baseUrl())), new AwsCallCounter());
    }

    @AfterEach
    void stop() {
        aws.close();
        ecs.stop();
    }

    @Test
    void aThrottledWriteIsSentAtMostSixTimes() {
        FakeDriver driver = new FakeDriver();
        driver.during.put(CLUSTER.address(), context -> aws.ecs.createCluster(b -> b.clusterName("acme")));
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        PlanExecutor executor = new PlanExecutor(driver.everyType(), (marker, revision, context) -> marker, TransientFailure::isTransient, clock,
                clock.sleeper(), ExecutorSettings.DEFAULT, () -> 1.0);

        ApplyResult result = executor.apply(new TestPlans().wave(create(CLUSTER)).build(), StopSignal.NEVER);

        assertEquals(Outcome.FAILED, result.outcome());
        int sent = ecs.findAll(anyRequestedFor(anyUrl())).size();
        assertTrue(sent > 1 && sent <= BUDGET, "a throttled write was sent " + sent + " times");
        assertEquals(AwsClients.RETRY_ATTEMPTS * ExecutorSettings.DEFAULT.stepAttempts(), sent,
                "every SDK attempt of every step attempt, and no more");
        String message = result.steps().get(0).message();
        assertTrue(message.startsWith("Rate exceeded") && message.endsWith("(after "
                + ExecutorSettings.DEFAULT.stepAttempts() + " attempts)"), message);
    }
}
