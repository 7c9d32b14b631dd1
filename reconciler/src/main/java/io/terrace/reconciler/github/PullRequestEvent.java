package io.terrace.reconciler.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * A {@code pull_request} webhook delivery that asks for a plan: the pull request was opened,
 * reopened, or got new commits ({@code synchronize}). Other actions (labels, edits, closing)
 * change nothing a plan depends on and are ignored.
 *
 * @param baseSha the commit the pull request targets, as GitHub saw it on delivery
 * @param headSha the pull request's newest commit; fetched through {@code refs/pull/N/head},
 *                which the base repository holds even for pull requests from forks
 */
public record PullRequestEvent(String action, PullRequest pullRequest, String baseRef, String baseSha, String headSha) {

    public static final String EVENT = "pull_request";
    static final Set<String> PLANNED_ACTIONS = Set.of("opened", "synchronize", "reopened");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ref that holds the head commit in the base repository. */
    public String headRef() {
        return "refs/pull/" + pullRequest.number() + "/head";
    }

    /**
     * Reads a delivery. Empty when the event is not a pull request or its action needs no plan.
     *
     * @param event the {@code X-GitHub-Event} header
     * @throws IllegalArgumentException when a pull_request delivery lacks a field a plan needs
     */
    public static Optional<PullRequestEvent> parse(String event, byte[] body) {
        if (!EVENT.equals(event)) {
            return Optional.empty();
        }
        try {
            return parse(event, JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("pull_request delivery is not JSON");
        }
    }

    /** Reads a delivery already parsed (the HTTP layer decodes form-encoded deliveries). */
    public static Optional<PullRequestEvent> parse(String event, JsonNode root) {
        if (!EVENT.equals(event)) {
            return Optional.empty();
        }
        String action = root.path("action").asText("");
        if (!PLANNED_ACTIONS.contains(action)) {
            return Optional.empty();
        }
        JsonNode pr = root.path("pull_request");
        String fullName = text(root.path("repository").path("full_name"), "repository.full_name");
        int number = root.path("number").asInt(pr.path("number").asInt(0));
        String baseRef = text(pr.path("base").path("ref"), "pull_request.base.ref");
        if (!Repository.isValidRefName("refs/heads/" + baseRef)) {
            throw new IllegalArgumentException("pull_request delivery has no branch name in pull_request.base.ref");
        }
        return Optional.of(new PullRequestEvent(action,
                PullRequest.of(fullName, number),
                baseRef,
                sha(pr.path("base").path("sha"), "pull_request.base.sha"),
                sha(pr.path("head").path("sha"), "pull_request.head.sha")));
    }

    private static String text(JsonNode n, String field) {
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException("pull_request delivery has no " + field);
        }
        return n.asText();
    }

    private static String sha(JsonNode n, String field) {
        String s = text(n, field);
        if (!s.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("pull_request delivery has no commit id in " + field);
        }
        return s;
    }
}
