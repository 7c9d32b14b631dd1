package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.opensearch.OpenSearchDriver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import io.terrace.planner.ResourceType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine version change is an in-place UpgradeDomain, which moto lacks: AWS's REST-JSON
 * answers replayed by WireMock, the real SDK client, and the exact request body asserted.
 */
class OpenSearchUpgradeTest {

    private static final String ENV = "acme-production";
    private static final String NAME = ResourceNames.searchDomain(ENV);
    private static final String DOMAIN_PATH = "/2021-01-01/opensearch/domain/" + NAME;

    private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private AwsClients aws;

    @BeforeEach
    void setUp() {
        server.start();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        aws = new AwsClients(Moto.REGION, Optional.of(URI.create(server.baseUrl())), new AwsCallCounter());
    }

    @AfterEach
    void tearDown() {
        aws.close();
        server.stop();
    }

    private static String status(String version, boolean upgrading) {
        return """
                {"DomainStatus":{"DomainId":"123456789012/%1$s","DomainName":"%1$s",
                 "ARN":"arn:aws:es:eu-west-1:123456789012:domain/%1$s","Created":true,"Deleted":false,
                 "Processing":false,"UpgradeProcessing":%2$s,"EngineVersion":"%3$s",
                 "ClusterConfig":{"InstanceType":"m6g.large.search","InstanceCount":2,"DedicatedMasterEnabled":false,
                   "ZoneAwarenessEnabled":true,"ZoneAwarenessConfig":{"AvailabilityZoneCount":2}},
                 "EBSOptions":{"EBSEnabled":true,"VolumeType":"gp3","VolumeSize":20},
                 "Endpoints":{"vpc":"vpc-%1$s-abc123.eu-west-1.es.amazonaws.com"},
                 "VPCOptions":{"VPCId":"vpc-1","SubnetIds":["subnet-a","subnet-b"],"SecurityGroupIds":["sg-1"],
                   "AvailabilityZones":["eu-west-1a","eu-west-1b"]}}}
                """.formatted(NAME, upgrading, version);
    }

    private void describeIn(String state, String next, String body) {
        server.stubFor(get(urlPathEqualTo(DOMAIN_PATH)).inScenario("upgrade").whenScenarioStateIs(state)
                .willSetStateTo(next).willReturn(json(body)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Test
    void aNewEngineVersionIsAnInPlaceUpgradeThatIsAwaited() throws Exception {
        Resource desired = new DataTestSpec(ENV).resource("search/domain");
        describeIn(Scenario.STARTED, Scenario.STARTED, status("OpenSearch_2.11", false));
        server.stubFor(post(urlPathEqualTo("/2021-01-01/opensearch/upgradeDomain")).inScenario("upgrade")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("upgrading")
                .willReturn(json("{\"DomainName\":\"" + NAME + "\",\"TargetVersion\":\"OpenSearch_2.13\","
                        + "\"PerformCheckOnly\":false,\"UpgradeId\":\"1a2b3c4d\"}")));
        describeIn("upgrading", "upgraded", status("OpenSearch_2.11", true));
        describeIn("upgraded", "upgraded", status("OpenSearch_2.13", false));
        String tags = new ObjectMapper().writeValueAsString(Map.of("TagList", desired.tags().entrySet().stream()
                .map(e -> Map.of("Key", e.getKey(), "Value", e.getValue())).toList()));
        server.stubFor(get(urlPathEqualTo("/2021-01-01/tags/")).willReturn(json(tags)));
        // The driver reads the region's Logs resource policies to describe the domain's log delivery.
        server.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Logs_20140328.DescribeResourcePolicies"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"resourcePolicies\":[]}")));

        DataTestContext context = new DataTestContext(aws);
        ObservedResource live = new ObservedResource(desired.address(), ResourceType.OPENSEARCH_DOMAIN, NAME,
                Map.of(), desired.tags());
        ObservedResource result = new OpenSearchDriver(aws).update(desired, live, List.of(), context);

        assertEquals("OpenSearch_2.13", result.attributes().get("engineVersion"));
        var upgrades = server.findAll(postRequestedFor(
                urlPathEqualTo("/2021-01-01/opensearch/upgradeDomain")));
        assertEquals(1, upgrades.size());
        assertEquals(Map.of("DomainName", NAME, "TargetVersion", "OpenSearch_2.13"),
                new ObjectMapper().readValue(upgrades.get(0).getBodyAsString(), Map.class));
        assertTrue(context.polls() >= 1, "waited while the upgrade was processing");
        assertTrue(server.findAll(postRequestedFor(
                urlPathEqualTo(DOMAIN_PATH + "/config"))).isEmpty(), "no cluster configuration change");
    }
}
