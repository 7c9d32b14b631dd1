package io.terrace.reconciler.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recorded AWS Query-protocol exchange replayed by WireMock, for the calls moto lacks: the real
 * SDK client is pointed at it, each stub answers one action with AWS's documented XML response
 * (optionally only in one state of a scenario, moving it to the next), and the test reads back
 * the exact form parameters the SDK sent, in order.
 */
public final class QueryReplay implements AutoCloseable {

    public static final String SCENARIO = "exchange";
    public static final String START = Scenario.STARTED;

    private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    public QueryReplay() {
        server.start();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    public AwsClients clients() {
        return new AwsClients(Moto.REGION, Optional.of(URI.create(server.baseUrl())), new AwsCallCounter());
    }

    /** Answers {@code action} with {@code status} and {@code xml} in every state. */
    public void answer(String action, int status, String xml) {
        server.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action + "&"))
                .willReturn(xml(status, xml)));
    }

    /** Answers {@code action} in scenario state {@code state}, then moves the scenario to {@code next}. */
    public void answer(String action, String state, String next, int status, String xml) {
        server.stubFor(post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action + "&"))
                .inScenario(SCENARIO).whenScenarioStateIs(state).willSetStateTo(next)
                .willReturn(xml(status, xml)));
    }

    /** The form parameters of every request received, oldest first. */
    public List<Map<String, String>> requests() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<Map<String, String>> out = new ArrayList<>();
        for (ServeEvent e : events) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : e.getRequest().getBodyAsString().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            out.add(params);
        }
        return out;
    }

    /** The actions received, oldest first. */
    public List<String> actions() {
        return requests().stream().map(p -> p.get("Action")).toList();
    }

    /** The parameters of the only request for {@code action}. */
    public Map<String, String> only(String action) {
        List<Map<String, String>> matching = requests().stream().filter(p -> action.equals(p.get("Action"))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + action + " request, got " + matching.size() + ": " + actions());
        }
        return matching.get(0);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String xml) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(xml);
    }

    /** The server itself, for a REST API's stubs and requests (S3's), which are not form posts. */
    public WireMockServer server() {
        return server;
    }

    /** The endpoint to point a client or the CLI's {@code --endpoint-url} at. */
    public String endpoint() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.stop();
    }
}
