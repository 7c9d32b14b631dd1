package io.terrace.reconciler.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.terrace.planner.AttributeKeys.LogGroup;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.logs.LogGroupDriver;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;

/**
 * Associating a log group with the environment's key, which moto does not implement: AWS's
 * documented JSON answers (CloudWatch Logs' {@code Logs_20140328} target) replayed by WireMock to
 * the real SDK client. A group whose key differs gets {@code AssociateKmsKey} with the group and
 * the key, and is read back with it; a refusal from AWS (the key policy does not let CloudWatch
 * Logs use the key) fails the update; an endpoint without the operation leaves the group as it is.
 */
class LogGroupKeyReplayTest {

    private static final String ENV = "acme-production";
    private static final String GROUP = "/terrace/" + ENV + "/web";
    private static final String GROUP_ARN = "arn:aws:logs:eu-west-1:123456789012:log-group:" + GROUP;
    private static final String OLD_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String TARGET = "Logs_20140328.";
    private static final String ASSOCIATED = "associated";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    LogGroupKeyReplayTest() {
        server.start();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private AwsClients clients() {
        return new AwsClients(Moto.REGION, Optional.of(URI.create(server.baseUrl())), new AwsCallCounter());
    }

    private void answer(String operation, String state, String next, int status, String body) {
        var stub = post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + operation))
                .inScenario("exchange").whenScenarioStateIs(state);
        if (next != null) {
            stub = stub.willSetStateTo(next);
        }
        server.stubFor(stub.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", "5a2b9c3d-1e4f-4a6b-8c7d-9e0f1a2b3c4d").withBody(body)));
    }

    private static String describe(String key) {
        return "{\"logGroups\":[{\"logGroupName\":\"" + GROUP + "\",\"creationTime\":1733300000000,"
                + "\"retentionInDays\":30,\"metricFilterCount\":0,\"arn\":\"" + GROUP_ARN + ":*\","
                + "\"logGroupArn\":\"" + GROUP_ARN + "\",\"storedBytes\":0,\"kmsKeyId\":\"" + key + "\"}]}";
    }

    /** The group as read, through the driver, in both states of the exchange. */
    private void replayGroup(int associateStatus, String associateBody) {
        answer("DescribeLogGroups", Scenario.STARTED, null, 200, describe(OLD_KEY));
        answer("DescribeLogGroups", ASSOCIATED, null, 200, describe(KEY));
        answer("ListTagsForResource", Scenario.STARTED, null, 200, "{\"tags\":{}}");
        answer("ListTagsForResource", ASSOCIATED, null, 200, "{\"tags\":{}}");
        answer("AssociateKmsKey", Scenario.STARTED, associateStatus == 200 ? ASSOCIATED : null, associateStatus,
                associateBody);
    }

    private static Resource desired() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(LogGroup.RETENTION_DAYS, 30);
        a.put(LogGroup.KMS_KEY, KEY);
        return new Resource(ENV + "/web/logs", ResourceType.LOG_GROUP, Component.WEB, GROUP, a, Map.of(), Set.of());
    }

    private static ObservedResource live() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(LogGroup.RETENTION_DAYS, 30);
        a.put(LogGroup.KMS_KEY, OLD_KEY);
        a.put("arn", GROUP_ARN);
        return new ObservedResource(ENV + "/web/logs", ResourceType.LOG_GROUP, GROUP, a, Map.of());
    }

    /** The operation and JSON body of every request, oldest first. */
    private List<Map.Entry<String, JsonNode>> requests() throws Exception {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (ServeEvent e : events) {
            out.add(Map.entry(e.getRequest().getHeader("X-Amz-Target").substring(TARGET.length()),
                    JSON.readTree(e.getRequest().getBodyAsString())));
        }
        return out;
    }

    @Test
    void aGroupWhoseKeyDiffersIsAssociatedWithTheEnvironmentsKey() throws Exception {
        replayGroup(200, "{}");
        try (AwsClients aws = clients()) {
            ObservedResource after = new LogGroupDriver(aws).update(desired(), live(), List.of(),
                    new DriverContextForTests(aws));
            assertEquals(KEY, after.attributes().get(LogGroup.KMS_KEY), "read back with the new key");
        }
        var requests = requests();
        assertEquals(List.of("AssociateKmsKey", "DescribeLogGroups", "ListTagsForResource"),
                requests.stream().map(Map.Entry::getKey).toList(), "retention as wanted: not put again");
        JsonNode associate = requests.get(0).getValue();
        assertEquals(GROUP, associate.get("logGroupName").asText());
        assertEquals(KEY, associate.get("kmsKeyId").asText());
    }

    @Test
    void aRefusalFromAwsFailsTheUpdate() {
        // What CloudWatch Logs answers when the key policy does not let it use the key.
        replayGroup(400, "{\"__type\":\"InvalidParameterException\",\"message\":\"Specified KMS key " + KEY
                + " is not allowed to be used with ArnLogGroup " + GROUP_ARN + "\"}");
        try (AwsClients aws = clients()) {
            assertThrows(InvalidParameterException.class, () -> new LogGroupDriver(aws).update(desired(), live(),
                    List.of(), new DriverContextForTests(aws)));
        }
    }

    @Test
    void anEndpointWithoutTheOperationLeavesTheGroupAsItIs() throws Exception {
        // moto's answer to an operation it lacks: a bare 500, without an error code or request id.
        server.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET + "AssociateKmsKey"))
                .atPriority(1).willReturn(aResponse().withStatus(500).withBody("<html>Internal Server Error</html>")));
        replayGroup(200, "{}");
        try (AwsClients aws = clients()) {
            ObservedResource after = new LogGroupDriver(aws).update(desired(), live(), List.of(),
                    new DriverContextForTests(aws));
            assertEquals(OLD_KEY, after.attributes().get(LogGroup.KMS_KEY), "still the old key: a difference next pass");
        }
        assertEquals("AssociateKmsKey", requests().get(0).getKey());
    }
}
