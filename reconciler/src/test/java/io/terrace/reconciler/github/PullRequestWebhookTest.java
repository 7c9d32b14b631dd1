package io.terrace.reconciler.github;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.git.ScratchRepo;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed pull_request delivery makes the daemon fetch the pull request into its clone, plan the
 * environments it touches and post the sticky comment. "GitHub" is a repository on disk holding
 * {@code refs/pull/7/head} as GitHub does, plus WireMock for the comments API.
 */
class PullRequestWebhookTest {

    private static final String SECRET = "webhook-secret";
    private static final String LIST = "/repos/acme/specs/issues/7/comments";

    @TempDir
    Path dir;

    private ScratchRepo origin;
    private Git clone;
    private WireMockServer github;
    private final List<List<String>> observed = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private PullRequestWebhook webhook;

    static String spec(String name, int webMax) {
        return "apiVersion: terrace/v1\nkind: Environment\nname: " + name + "\nclient: " + name + "\n"
                + "tier: developer\nstage: development\nregion: eu-west-1\n"
                + "application:\n  image: registry.example.com/" + name + "/app:1.0.0\n"
                + "  web: { cpu: 256, memory: 512, min: 1, max: " + webMax + " }\n"
                + "cdn:\n  aliases: [" + name + ".example]\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        origin = ScratchRepo.init(dir.resolve("origin"));
        for (String env : List.of("alpha", "bravo", "charlie")) {
            origin.write("environments/" + env + ".yaml", spec(env, 2));
        }
        origin.commit("three environments");
        // The daemon cloned before the pull request existed.
        clone = Git.cloneRepository().setURI(origin.dir().toUri().toString()).setDirectory(dir.resolve("clone").toFile()).call();

        github = new WireMockServer(options().dynamicPort());
        github.start();
        GitHubComments comments = new GitHubComments(URI.create(github.baseUrl()), "token", HttpClient.newHttpClient(), d -> { });
        PullRequestCommenter commenter = new PullRequestCommenter(clone.getRepository(),
                PullRequestCommenter.Fetch.FROM_ORIGIN, names -> {
                    observed.add(List.copyOf(names));
                    return live();
                }, PlanOptions.DEFAULT, comments);
        webhook = new PullRequestWebhook(new WebhookSignature(SECRET), Runnable::run, event -> {
            try {
                commenter.plan(event);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
    }

    @AfterEach
    void tearDown() {
        github.stop();
        clone.close();
        origin.close();
    }

    /** alpha and charlie are live; the observer returns everything it has, whatever was asked. */
    private static ObservedState live() {
        List<ObservedResource> all = new ArrayList<>();
        for (String env : List.of("alpha", "charlie")) {
            all.add(new ObservedResource(env + "/assets/bucket", ResourceType.S3_BUCKET, env + "-assets",
                    Map.of("versioning", true, "encryption", "AES256", "publicAccessBlocked", true),
                    Map.of("terrace:managed-by", "terrace", "terrace:environment", env)));
        }
        return ObservedState.of(all);
    }

    /** The pull request: a branch editing charlie, published as refs/pull/7/head. */
    private RevCommit[] openPullRequest() throws Exception {
        RevCommit base = origin.repository().parseCommit(origin.repository().resolve("main"));
        origin.branch("resize-charlie").write("environments/charlie.yaml", spec("charlie", 1));
        RevCommit head = origin.commit("charlie: web max 1");
        RefUpdate u = origin.repository().updateRef("refs/pull/7/head");
        u.setNewObjectId(head);
        u.update();
        origin.checkout("main");
        return new RevCommit[] {base, head};
    }

    private static byte[] delivery(String action, String baseSha, String headSha) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("action", action);
        root.put("number", 7);
        ObjectNode pr = root.putObject("pull_request");
        pr.put("number", 7);
        pr.putObject("head").put("ref", "resize-charlie").put("sha", headSha);
        pr.putObject("base").put("ref", "main").put("sha", baseSha);
        root.putObject("repository").put("full_name", "acme/specs");
        return json.writeValueAsBytes(root);
    }

    @Test
    void aSignedOpenedPullRequestIsPlannedAndCommented() throws Exception {
        RevCommit[] refs = openPullRequest();
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(okJson("{\"id\":1}").withStatus(201)));
        byte[] body = delivery("opened", refs[0].name(), refs[1].name());

        PullRequestWebhook.Reception r = webhook.receive("pull_request", new WebhookSignature(SECRET).sign(body), body);

        assertEquals(PullRequestWebhook.Reception.ACCEPTED, r);
        assertEquals(List.of(), failures);
        assertEquals(List.of(List.of("charlie")), observed, "only the touched environment is observed");
        github.verify(1, postRequestedFor(urlEqualTo(LIST))
                .withHeader("Authorization", equalTo("Bearer token"))
                .withRequestBody(containing("<!-- terrace:plan -->"))
                .withRequestBody(containing("Head commit: `" + refs[1].name() + "`"))
                .withRequestBody(containing("| `charlie` | developer |")));
        String posted = github.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST"))
                .findFirst().orElseThrow().getRequest().getBodyAsString();
        assertFalse(posted.contains("`alpha`"), "alpha is live but untouched: " + posted);
    }

    @Test
    void anUnsignedOrForgedDeliveryDoesNothing() throws Exception {
        RevCommit[] refs = openPullRequest();
        byte[] body = delivery("opened", refs[0].name(), refs[1].name());

        assertEquals(PullRequestWebhook.Reception.UNAUTHORIZED, webhook.receive("pull_request", null, body));
        assertEquals(PullRequestWebhook.Reception.UNAUTHORIZED,
                webhook.receive("pull_request", new WebhookSignature("guess").sign(body), body));
        assertEquals(List.of(), observed);
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void closingOrLabellingPlansNothing() throws Exception {
        RevCommit[] refs = openPullRequest();
        byte[] body = delivery("closed", refs[0].name(), refs[1].name());

        assertEquals(PullRequestWebhook.Reception.IGNORED,
                webhook.receive("pull_request", new WebhookSignature(SECRET).sign(body), body));
        assertEquals(204, PullRequestWebhook.Reception.IGNORED.status());
        assertEquals(List.of(), observed);
    }

    @Test
    void aSignedButBrokenDeliveryIsMalformed() {
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);

        assertEquals(PullRequestWebhook.Reception.MALFORMED,
                webhook.receive("pull_request", new WebhookSignature(SECRET).sign(body), body));
        assertTrue(observed.isEmpty());
    }
}
