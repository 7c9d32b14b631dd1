package io.terrace.reconciler.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.reconciler.github.GitHubComments;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code terrace comment} as a user runs it, against a WireMock GitHub. */
class CommentCommandTest {

    private static final String TOKEN = "ghs_secret_value";
    private static final String LIST = "/repos/acme/specs/issues/12/comments";

    @TempDir
    Path dir;

    private WireMockServer github;
    private final Map<String, String> env = new HashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        github = new WireMockServer(options().dynamicPort());
        github.start();
        env.put("GITHUB_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CommentCommand(env,
                (api, token) -> new GitHubComments(api, token, HttpClient.newHttpClient(), d -> { })));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path plan(String body) throws Exception {
        Path file = dir.resolve("plan.md");
        Files.writeString(file, body, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void updatesTheStickyCommentAndSaysWhere() throws Exception {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[{\"id\":5,\"body\":\"<!-- terrace:plan -->\"}]")));
        github.stubFor(patch(urlEqualTo("/repos/acme/specs/issues/comments/5")).willReturn(
                okJson("{\"id\":5,\"html_url\":\"https://github.com/acme/specs/pull/12#issuecomment-5\"}")));

        int code = run("--github", "acme/specs", "--pr", "12", "--file", plan("new plan <!-- terrace:plan -->").toString(),
                "--api-url", github.baseUrl());

        assertEquals(0, code, err.toString());
        assertEquals("updated plan comment 5 on acme/specs#12: https://github.com/acme/specs/pull/12#issuecomment-5\n",
                out.toString());
        github.verify(patchRequestedFor(urlEqualTo("/repos/acme/specs/issues/comments/5"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"body\":\"new plan <!-- terrace:plan -->\"}")));
    }

    @Test
    void readsTheApiRootFromGitHubActionsWhenNotGiven() throws Exception {
        env.put("GITHUB_API_URL", github.baseUrl());
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(okJson("[]")));
        github.stubFor(post(urlEqualTo(LIST)).willReturn(okJson("{\"id\":6}").withStatus(201)));

        int code = run("--github", "acme/specs", "--pr", "12", "--file", plan("plan").toString());

        assertEquals(0, code, err.toString());
        assertEquals("posted plan comment 6 on acme/specs#12\n", out.toString());
    }

    @Test
    void missingTokenIsAnErrorBeforeAnyRequest() throws Exception {
        env.remove("GITHUB_TOKEN");

        int code = run("--github", "acme/specs", "--pr", "12", "--file", plan("plan").toString(),
                "--api-url", github.baseUrl());

        assertEquals(1, code);
        assertEquals("terrace comment: GITHUB_TOKEN is not set; it must hold a token allowed to comment on acme/specs\n",
                err.toString());
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void unauthorizedExitsOneWithOneLineAndNeverPrintsTheToken() throws Exception {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\":\"Bad credentials\"}")));

        int code = run("--github", "acme/specs", "--pr", "12", "--file", plan("plan").toString(),
                "--api-url", github.baseUrl());

        assertEquals(1, code);
        assertEquals("terrace comment: GitHub rejected GITHUB_TOKEN: 401 Unauthorized (Bad credentials);"
                + " check that the token is valid\n", err.toString());
        assertFalse((out.toString() + err).contains(TOKEN));
    }

    @Test
    void notFoundExitsOne() throws Exception {
        github.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(404)));

        int code = run("--github", "acme/specs", "--pr", "12", "--file", plan("plan").toString(),
                "--api-url", github.baseUrl());

        assertEquals(1, code);
        assertEquals("terrace comment: GitHub found no pull request acme/specs#12: 404 Not Found; check OWNER/REPO"
                + " and the number, and that the token can see the repository\n", err.toString());
    }

    @Test
    void badArgumentsAreOneLineEach() throws Exception {
        assertEquals(1, run("--github", "acme", "--pr", "12", "--file", plan("p").toString()));
        assertEquals(1, run("--github", "acme/specs", "--pr", "12", "--file", dir.resolve("missing.md").toString()));
        assertEquals(1, run("--github", "acme/specs", "--pr", "12", "--file", plan("p").toString(), "--api-url", "ftp://x"));

        assertEquals("terrace comment: 'acme' is not a GitHub repository (OWNER/REPO)\n"
                + "terrace comment: " + dir.resolve("missing.md") + ": no such file\n"
                + "terrace comment: --api-url 'ftp://x' is not an http(s) URL\n", err.toString());
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void isASubcommandOfTheLauncher() {
        CommandLine launcher = new CommandLine(new TerraceCli());
        launcher.setOut(new PrintWriter(out, true));

        assertEquals(0, launcher.execute("comment", "--help"));
        assertTrue(out.toString().startsWith("Usage: terrace comment [-hV] [--api-url=URL] --file=FILE --github=OWNER/REPO"),
                out.toString());
    }
}
