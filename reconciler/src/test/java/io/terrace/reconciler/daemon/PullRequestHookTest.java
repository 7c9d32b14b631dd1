package io.terrace.reconciler.daemon;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.git.ScratchRepo;
import io.terrace.reconciler.github.GitHubComments;
import io.terrace.reconciler.github.PullRequestCommenter;
import io.terrace.reconciler.github.PullRequestWebhook;
import io.terrace.reconciler.http.HttpApi;
import io.terrace.reconciler.http.WebhookSignature;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running daemon receives GitHub's pull_request webhook: it fetches the pull request into its
 * copy of the repository, plans the environments the pull request touches and posts the sticky
 * comment. The spec repository is real git on disk holding {@code refs/pull/7/head} as GitHub
 * does; GitHub's comments API is WireMock.
 */
class PullRequestHookTest {

    private static final String LIST = "/repos/acme/specs/issues/7/comments";

    @TempDir
    Path tmp;

    private DaemonFixture f;
    private WireMockServer github;
    private final List<List<String>> observed = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    @BeforeEach
    void daemonWithPullRequestPlans() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.write(path("globex"), environment("globex", "1.0.0"));
        f.origin.commit("acme and globex");
        f.start();
        github = new WireMockServer(options().dynamicPort());
        github.start();
        GitHubComments comments = new GitHubComments(URI.create(github.baseUrl()), "ghs_token",
                HttpClient.newHttpClient(), d -> { });
        PullRequestCommenter commenter = new PullRequestCommenter(f.daemon.git(), (specs, envs) -> {
            observed.add(List.copyOf(envs));
            return f.cloud.observe(envs);
        }, PlanOptions.DEFAULT, comments);
        // Plans run on the request thread here, so the test sees the comment when the answer arrives.
        PullRequestWebhook hook = new PullRequestWebhook(Runnable::run, event -> {
            try {
                commenter.plan(event);
            } catch (Exception e) {
                failures.add(e);
            }
        });
        f.http.close();
        f.http = HttpApi.start(new InetSocketAddress("127.0.0.1", 0), f.daemon, Optional.of(DaemonFixture.WEBHOOK_SECRET),
                Optional.of(hook));
    }

    @AfterEach
    void stop() {
        if (github != null) {
            github.stop();
        }
        if (f != null) {
            f.close();
        }
    }

    /** A branch bumping globex's image, published as refs/pull/7/head; main is left as it was. */
    private RevCommit[] openPullRequest() throws Exception {
        try (ScratchRepo origin = ScratchRepo.open(f.origin.dir())) {
            RevCommit base = origin.repository().parseCommit(origin.repository().resolve("main"));
            origin.branch("globex-2").write(path("globex"), environment("globex", "2.0.0"));
            RevCommit head = origin.commit("globex 2.0.0");
            origin.setRef("refs/pull/7/head", head).checkout("main");
            return new RevCommit[] {base, head};
        }
    }

    private static byte[] delivery(String action, RevCommit base, RevCommit head) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("action", action);
        root.put("number", 7);
        ObjectNode pr = root.putObject("pull_request");
        pr.put("number", 7);
        pr.putObject("head").put("ref", "globex-2").put("sha", head.name());
        pr.putObject("base").put("ref", "main").put("sha", base.name());
        root.putObject("repository").put("full_name", "acme/specs");
        return json.writeValueAsBytes(root);
    }

    private HttpResponse<String> deliver(byte[] body, Optional<String> signature) throws Exception {
        Map<String, String> headers = signature.isPresent()
                ? Map.of("X-GitHub-Event", "pull_request", WebhookSignature.HEADER, signature.get())
                : Map.of("X-GitHub-Event", "pull_request");
        return f.post("/hooks/github", body, headers);
    }

    private static String sign(byte[] body) {
        return new WebhookSignature(DaemonFixture.WEBHOOK_SECRET).sign(body);
    }

    @Test
    void anOpenedPullRequestGetsAPlanCommentForWhatItTouches() throws Exception {
        RevCommit[] refs = openPullRequest();
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(okJson("{\"id\":11}").withStatus(201)));
        byte[] body = delivery("opened", refs[0], refs[1]);

        HttpResponse<String> r = deliver(body, Optional.of(sign(body)));

        assertEquals(202, r.statusCode(), r.body());
        assertEquals(List.of(), failures);
        assertEquals(List.of(List.of("globex")), observed, "only the touched environment is observed");
        github.verify(1, postRequestedFor(urlEqualTo(LIST))
                .withHeader("Authorization", equalTo("Bearer ghs_token"))
                .withRequestBody(containing("<!-- terrace:plan -->"))
                .withRequestBody(containing("Head commit: `" + refs[1].name() + "`"))
                .withRequestBody(containing("| `globex` | developer |"))
                .withRequestBody(containing("~ update globex/web/task"))
                .withRequestBody(containing("acme/app:2.0.0")));
        String posted = github.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST"))
                .findFirst().orElseThrow().getRequest().getBodyAsString();
        assertFalse(posted.contains("`acme`"), "acme is untouched: " + posted);
        assertEquals(f.daemon.git().repository().resolve("refs/remotes/origin/main"), refs[0].getId(),
                "the branch the daemon follows did not move");
    }

    @Test
    void aForgedDeliveryIsRefusedAndPlansNothing() throws Exception {
        RevCommit[] refs = openPullRequest();
        byte[] body = delivery("opened", refs[0], refs[1]);

        assertEquals(401, deliver(body, Optional.empty()).statusCode());
        assertEquals(401, deliver(body, Optional.of(new WebhookSignature("guess").sign(body))).statusCode());
        assertEquals(List.of(), observed);
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void closingAPullRequestPlansNothing() throws Exception {
        RevCommit[] refs = openPullRequest();
        byte[] body = delivery("closed", refs[0], refs[1]);

        HttpResponse<String> r = deliver(body, Optional.of(sign(body)));

        assertEquals(202, r.statusCode());
        assertEquals("{\n  \"status\" : \"ignored\"\n}\n", r.body());
        assertEquals(List.of(), observed);
    }

    @Test
    void aSignedDeliveryWithoutTheCommitsIsMalformed() throws Exception {
        byte[] body = "{\"action\":\"synchronize\",\"number\":7,\"repository\":{\"full_name\":\"acme/specs\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(400, deliver(body, Optional.of(sign(body))).statusCode());
        assertEquals(List.of(), observed);
    }
}
