package io.terrace.reconciler.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.engine.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sticky plan comment of a pull request, kept through GitHub's REST API for issue comments
 * (a pull request is an issue to that API). The comment is recognised by {@link #MARKER}: when one
 * of the pull request's comments holds it, that comment is edited in place; otherwise a new one is
 * posted. So each push updates one comment instead of adding another.
 *
 * <p>Server errors (5xx) and broken connections are retried with a capped exponential backoff.
 * A failed POST may still have created the comment, so before posting again the comments are
 * listed again and an edit replaces the second POST when the marker turned up.
 */
public final class GitHubComments {

    /** The hidden marker that identifies Terrace's plan comment. */
    public static final String MARKER = "<!-- terrace:plan -->";

    /** GitHub's public API; GitHub Enterprise Server uses {@code https://HOST/api/v3}. */
    public static final URI DEFAULT_API = URI.create("https://api.github.com");

    /** The longest comment body GitHub accepts, in characters. */
    public static final int MAX_BODY = 65_536;

    static final String ACCEPT = "application/vnd.github+json";
    static final String API_VERSION = "2022-11-28";
    static final int MAX_ATTEMPTS = 5;
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between two attempts; tests pass one that only records the delay. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What {@link #upsert} did: edited the existing comment or posted a new one. */
    public record Outcome(boolean created, long id, String url) {}

    private final URI api;
    private final String token;
    private final HttpClient http;
    private final Sleeper sleeper;

    public GitHubComments(URI api, String token, HttpClient http, Sleeper sleeper) {
        String base = api.toString();
        this.api = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = Objects.requireNonNull(token, "token");
        this.http = http;
        this.sleeper = sleeper;
    }

    /** A client with the JDK HTTP client and real sleeps. */
    public static GitHubComments create(URI api, String token) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new GitHubComments(api, token, http, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Edits the pull request's plan comment, or posts it when there is none yet. The body gets the
     * marker appended when it does not already hold it, so the next run finds the comment.
     */
    public Outcome upsert(PullRequest pr, String body) {
        String withMarker = body.contains(MARKER) ? body : body + "\n\n" + MARKER + "\n";
        if (withMarker.length() > MAX_BODY) {
            throw new GitHubException(0, "the comment has " + withMarker.length()
                    + " characters; GitHub accepts at most " + MAX_BODY);
        }
        String payload = payload(withMarker);
        for (int attempt = 1; ; attempt++) {
            Optional<Long> existing = findPlanComment(pr);
            if (existing.isPresent()) {
                JsonNode edited = send("PATCH", api("/repos/" + pr.owner() + "/" + pr.repo()
                        + "/issues/comments/" + existing.get()), payload, pr, true).json();
                return new Outcome(false, existing.get(), edited.path("html_url").asText(""));
            }
            // Not retried on its own: a POST that failed on the way back may have created the
            // comment, and only a fresh listing can tell.
            Response posted = send("POST", api(commentsPath(pr)), payload, pr, false);
            if (posted.status() / 100 == 2) {
                JsonNode created = posted.json();
                return new Outcome(true, created.path("id").asLong(), created.path("html_url").asText(""));
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw failedAfterRetries("POST", commentsPath(pr), posted.status());
            }
            pause(attempt);
        }
    }

    /** The id of the oldest comment of the pull request that holds the marker. */
    public Optional<Long> findPlanComment(PullRequest pr) {
        URI next = api(commentsPath(pr) + "?per_page=100");
        while (next != null) {
            Response page = send("GET", next, null, pr, true);
            for (JsonNode comment : page.json()) {
                if (comment.path("body").asText("").contains(MARKER)) {
                    return Optional.of(comment.path("id").asLong());
                }
            }
            next = page.next().orElse(null);
        }
        return Optional.empty();
    }

    private static String commentsPath(PullRequest pr) {
        return "/repos/" + pr.owner() + "/" + pr.repo() + "/issues/" + pr.number() + "/comments";
    }

    private URI api(String pathAndQuery) {
        return URI.create(api + pathAndQuery);
    }

    private static String payload(String body) {
        try {
            return JSON.writeValueAsString(JSON.createObjectNode().put("body", body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends one request. With {@code retry}, 5xx answers and broken connections are tried again;
     * without, a 5xx or broken connection comes back as a response with status 5xx (or 0) for the
     * caller to decide. 4xx answers always end the operation with a clear message.
     */
    private Response send(String method, URI uri, String payload, PullRequest pr, boolean retry) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", ACCEPT)
                .header("Authorization", "Bearer " + token)
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", "terrace");
        if (payload == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(payload));
        }
        HttpRequest request = b.build();
        for (int attempt = 1; ; attempt++) {
            int status;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                if (status / 100 == 2) {
                    return new Response(status, r.body(), r.headers().firstValue("Link").flatMap(this::nextLink));
                }
                if (status < 500) {
                    throw refused(status, message(r.body()), pr);
                }
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GitHubException(0, "interrupted while talking to GitHub");
            }
            if (!retry) {
                return new Response(status, "", Optional.empty());
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw failedAfterRetries(method, uri.getRawPath(), status);
            }
            pause(attempt);
        }
    }

    private void pause(int attempt) {
        try {
            sleeper.sleep(backoff(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(0, "interrupted while waiting to retry GitHub");
        }
    }

    /** 1 s, 2 s, 4 s, 8 s, 8 s …: doubling, capped. */
    static Duration backoff(int attempt) {
        return BACKOFF.ceiling(attempt);
    }

    /**
     * The {@code rel="next"} page, followed only on the API's own scheme, host and port so the
     * token is never sent anywhere else.
     */
    private Optional<URI> nextLink(String header) {
        Matcher m = NEXT_LINK.matcher(header);
        if (!m.find()) {
            return Optional.empty();
        }
        URI next = URI.create(m.group(1));
        boolean sameOrigin = Objects.equals(next.getScheme(), api.getScheme())
                && Objects.equals(next.getHost(), api.getHost())
                && next.getPort() == api.getPort();
        if (!sameOrigin) {
            throw new GitHubException(0, "GitHub pointed the next page of comments at another server ("
                    + next.getHost() + "); refusing to send the token there");
        }
        return Optional.of(next);
    }

    private static GitHubException refused(int status, String githubMessage, PullRequest pr) {
        String said = githubMessage.isEmpty() ? "" : " (" + githubMessage + ")";
        if ((status == 403 || status == 429) && githubMessage.toLowerCase(java.util.Locale.ROOT).contains("rate limit")) {
            // GitHub answers an exhausted rate limit with 403 too; permissions are not the problem then.
            return new GitHubException(status, "GitHub rate limit reached: " + status + said + "; try again later");
        }
        return switch (status) {
            case 401 -> new GitHubException(status,
                    "GitHub rejected GITHUB_TOKEN: 401 Unauthorized" + said + "; check that the token is valid");
            case 403 -> new GitHubException(status, "GitHub refused access to " + pr + ": 403 Forbidden" + said
                    + "; the token needs permission to write pull request comments");
            case 404 -> new GitHubException(status, "GitHub found no pull request " + pr
                    + ": 404 Not Found; check OWNER/REPO and the number, and that the token can see the repository");
            default -> new GitHubException(status, "GitHub refused the request for " + pr + ": " + status + said);
        };
    }

    private static GitHubException failedAfterRetries(String method, String path, int status) {
        String what = status == 0 ? "no answer" : "status " + status;
        return new GitHubException(status, "GitHub gave " + what + " for " + method + " " + path
                + " after " + MAX_ATTEMPTS + " attempts");
    }

    /** GitHub's error documents carry a {@code message}; anything else is ignored. */
    private static String message(String body) {
        try {
            String m = JSON.readTree(body).path("message").asText("");
            return m.replaceAll("\\s+", " ").trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private record Response(int status, String body, Optional<URI> next) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new GitHubException(status, "GitHub answered with something that is not JSON");
            }
        }
    }
}
