package io.terrace.reconciler.cli;

import io.terrace.reconciler.github.GitHubComments;
import io.terrace.reconciler.github.GitHubException;
import io.terrace.reconciler.github.PullRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code terrace comment}: posts the Markdown plan on a pull request, or edits the comment a
 * previous run posted (found by its hidden marker), so a pull request carries one plan comment
 * that follows its latest push.
 */
@Command(name = "comment", mixinStandardHelpOptions = true,
        description = {
            "Post or update the sticky plan comment on a pull request.",
            "The token is read from GITHUB_TOKEN. The comment holding the marker <!-- terrace:plan --> is "
                    + "edited in place; without one, a new comment is posted."
        })
final class CommentCommand implements Callable<Integer> {

    @Option(names = "--github", required = true, paramLabel = "OWNER/REPO", description = "The GitHub repository.")
    String repository;

    @Option(names = "--pr", required = true, paramLabel = "N", description = "The pull request number.")
    int number;

    @Option(names = "--file", required = true, paramLabel = "FILE",
            description = "The comment body: the output of terrace plan --format markdown.")
    Path file;

    @Option(names = "--api-url", paramLabel = "URL",
            description = "GitHub API root (default: $GITHUB_API_URL, else https://api.github.com).")
    String apiUrl;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final BiFunction<URI, String, GitHubComments> clients;

    CommentCommand() {
        this(System.getenv(), GitHubComments::create);
    }

    /** For tests: the environment variables to read and how to build the client. */
    CommentCommand(Map<String, String> env, BiFunction<URI, String, GitHubComments> clients) {
        this.env = env;
        this.clients = clients;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            PullRequest pr = PullRequest.of(repository, number);
            String token = env.getOrDefault("GITHUB_TOKEN", "").trim();
            if (token.isEmpty()) {
                return fail(err, "GITHUB_TOKEN is not set; it must hold a token allowed to comment on " + repository);
            }
            URI api = api();
            String body = read(file);
            GitHubComments.Outcome outcome = clients.apply(api, token).upsert(pr, body);
            spec.commandLine().getOut().println((outcome.created() ? "posted" : "updated")
                    + " plan comment " + outcome.id() + " on " + pr
                    + (outcome.url().isEmpty() ? "" : ": " + outcome.url()));
            return TerraceCli.OK;
        } catch (IllegalArgumentException | GitHubException e) {
            return fail(err, e.getMessage());
        }
    }

    private URI api() {
        String value = apiUrl != null ? apiUrl : env.getOrDefault("GITHUB_API_URL", "");
        if (value.isBlank()) {
            return GitHubComments.DEFAULT_API;
        }
        try {
            URI uri = new URI(value.trim());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--api-url '" + value + "' is not an http(s) URL");
        }
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("terrace comment: " + message);
        return TerraceCli.ERROR;
    }
}
