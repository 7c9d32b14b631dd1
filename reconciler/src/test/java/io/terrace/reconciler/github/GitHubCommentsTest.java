package io.terrace.reconciler.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sticky comment against a WireMock server that answers like GitHub's issue-comments API. */
class GitHubCommentsTest {

    private static final String TOKEN = "ghp_test_t0ken";
    private static final String LIST = "/repos/acme/specs/issues/7/comments";
    private static final PullRequest PR = PullRequest.of("acme/specs", 7);
    private static final String PLAN = "## Terrace plan\n\n| env | create |\n|---|---|\n| acme | 3 |\n\n"
            + GitHubComments.MARKER + "\n";

    private WireMockServer github;
    private final List<Duration> sleeps = new ArrayList<>();
    private GitHubComments comments;

    @BeforeEach
    void start() {
        github = new WireMockServer(options().dynamicPort());
        github.start();
        comments = new GitHubComments(URI.create(github.baseUrl()), TOKEN, HttpClient.newHttpClient(), sleeps::add);
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    @Test
    void postsANewCommentWhenNoneHoldsTheMarker() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[{\"id\":1,\"body\":\"LGTM\"}]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":99,\"html_url\":\"https://github.com/acme/specs/pull/7#issuecomment-99\"}")));

        GitHubComments.Outcome outcome = comments.upsert(PR, PLAN);

        assertEquals(new GitHubComments.Outcome(true, 99, "https://github.com/acme/specs/pull/7#issuecomment-99"), outcome);
        github.verify(1, getRequestedFor(urlEqualTo(LIST + "?per_page=100"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
        github.verify(1, postRequestedFor(urlEqualTo(LIST))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"body\":" + json(PLAN) + "}")));
        github.verify(0, patchRequestedFor(urlPathEqualTo("/repos/acme/specs/issues/comments/1")));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void editsTheMarkedCommentFoundOnALaterPage() {
        String page2 = github.baseUrl() + "/repositories/1300192/issues/7/comments?per_page=100&page=2";
        github.stubFor(get(urlEqualTo(LIST + "?per_page=100")).willReturn(okJson("[{\"id\":1,\"body\":\"first\"}]")
                .withHeader("Link", "<" + page2 + ">; rel=\"next\", <" + page2 + ">; rel=\"last\"")));
        github.stubFor(get(urlEqualTo("/repositories/1300192/issues/7/comments?per_page=100&page=2"))
                .willReturn(okJson("[{\"id\":42,\"body\":\"old plan\\n" + "<!-- terrace:plan -->\"},"
                        + "{\"id\":43,\"body\":\"a later copy <!-- terrace:plan -->\"}]")));
        github.stubFor(patch(urlEqualTo("/repos/acme/specs/issues/comments/42")).willReturn(
                okJson("{\"id\":42,\"html_url\":\"https://github.com/acme/specs/pull/7#issuecomment-42\"}")));

        GitHubComments.Outcome outcome = comments.upsert(PR, PLAN);

        assertEquals(new GitHubComments.Outcome(false, 42, "https://github.com/acme/specs/pull/7#issuecomment-42"), outcome);
        github.verify(1, getRequestedFor(urlEqualTo("/repositories/1300192/issues/7/comments?per_page=100&page=2"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        github.verify(1, patchRequestedFor(urlEqualTo("/repos/acme/specs/issues/comments/42"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withRequestBody(equalToJson("{\"body\":" + json(PLAN) + "}")));
        github.verify(0, postRequestedFor(urlEqualTo(LIST)));
    }

    @Test
    void appendsTheMarkerWhenTheBodyLacksIt() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(okJson("{\"id\":5}").withStatus(201)));

        comments.upsert(PR, "hand-written plan");

        github.verify(postRequestedFor(urlEqualTo(LIST))
                .withRequestBody(equalToJson("{\"body\":\"hand-written plan\\n\\n<!-- terrace:plan -->\\n\"}")));
    }

    @Test
    void retriesServerErrorsWithDoublingBackoffAndNoRealSleep() {
        github.stubFor(get(urlPathEqualTo(LIST)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("second"));
        github.stubFor(get(urlPathEqualTo(LIST)).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        github.stubFor(get(urlPathEqualTo(LIST)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("[{\"id\":8,\"body\":\"" + "<!-- terrace:plan -->\"}]")));
        github.stubFor(patch(urlEqualTo("/repos/acme/specs/issues/comments/8")).willReturn(okJson("{\"id\":8}")));

        GitHubComments.Outcome outcome = comments.upsert(PR, PLAN);

        assertFalse(outcome.created());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        github.verify(3, getRequestedFor(urlPathEqualTo(LIST)));
    }

    @Test
    void givesUpAfterFiveAttemptsWithTheBackoffCapped() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(500)));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertEquals("GitHub gave status 500 for GET " + LIST + " after 5 attempts", e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)),
                sleeps);
        assertEquals(Duration.ofSeconds(8), GitHubComments.backoff(7));
        github.verify(5, getRequestedFor(urlPathEqualTo(LIST)));
    }

    @Test
    void aFailedPostListsAgainAndEditsRatherThanPostingTwice() {
        // GitHub created the comment but the answer was lost as a 502: the retry must not duplicate it.
        github.stubFor(get(urlPathEqualTo(LIST)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("created"));
        github.stubFor(get(urlPathEqualTo(LIST)).inScenario("lost").whenScenarioStateIs("created")
                .willReturn(okJson("[{\"id\":77,\"body\":" + json(PLAN) + "}]")));
        github.stubFor(patch(urlEqualTo("/repos/acme/specs/issues/comments/77")).willReturn(okJson("{\"id\":77}")));

        GitHubComments.Outcome outcome = comments.upsert(PR, PLAN);

        assertEquals(77, outcome.id());
        assertFalse(outcome.created());
        github.verify(1, postRequestedFor(urlEqualTo(LIST)));
        github.verify(1, patchRequestedFor(urlEqualTo("/repos/acme/specs/issues/comments/77")));
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
    }

    @Test
    void unauthorizedIsOneClearLineWithoutTheToken() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}")));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertEquals("GitHub rejected GITHUB_TOKEN: 401 Unauthorized (Bad credentials); check that the token is valid",
                e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(List.of(), sleeps, "a 4xx is not retried");
    }

    @Test
    void forbiddenNamesThePermissionNeeded() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(aResponse().withStatus(403)
                .withBody("{\"message\":\"Resource not accessible by integration\"}")));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertEquals("GitHub refused access to acme/specs#7: 403 Forbidden (Resource not accessible by integration);"
                + " the token needs permission to write pull request comments", e.getMessage());
        github.verify(1, postRequestedFor(urlEqualTo(LIST)));
    }

    @Test
    void anExhaustedRateLimitIsNotMistakenForMissingPermission() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(403)
                .withHeader("x-ratelimit-remaining", "0")
                .withBody("{\"message\":\"API rate limit exceeded for installation ID 1.\"}")));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertEquals("GitHub rate limit reached: 403 (API rate limit exceeded for installation ID 1.); try again later",
                e.getMessage());
    }

    @Test
    void notFoundSaysWhichPullRequest() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"Not Found\"}")));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertEquals(404, e.status());
        assertTrue(e.getMessage().startsWith("GitHub found no pull request acme/specs#7: 404 Not Found"), e.getMessage());
    }

    @Test
    void neverFollowsAPageLinkToAnotherServer() {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")
                .withHeader("Link", "<https://elsewhere.example/steal?page=2>; rel=\"next\"")));

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, PLAN));

        assertTrue(e.getMessage().contains("refusing to send the token there"), e.getMessage());
        github.verify(0, postRequestedFor(urlEqualTo(LIST)));
    }

    @Test
    void refusesABodyGitHubWouldReject() {
        String huge = "x".repeat(GitHubComments.MAX_BODY) + GitHubComments.MARKER;

        GitHubException e = assertThrows(GitHubException.class, () -> comments.upsert(PR, huge));

        assertEquals("the comment has 65557 characters; GitHub accepts at most 65536", e.getMessage());
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void keepsTheApiPathPrefixOfAnEnterpriseServer() {
        github.stubFor(get(urlPathEqualTo("/api/v3" + LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo("/api/v3" + LIST)).willReturn(okJson("{\"id\":3}").withStatus(201)));
        GitHubComments enterprise = new GitHubComments(URI.create(github.baseUrl() + "/api/v3/"), TOKEN,
                HttpClient.newHttpClient(), sleeps::add);

        assertEquals(3, enterprise.upsert(PR, PLAN).id());
        github.verify(1, postRequestedFor(urlEqualTo("/api/v3" + LIST)));
    }

    private static String json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
