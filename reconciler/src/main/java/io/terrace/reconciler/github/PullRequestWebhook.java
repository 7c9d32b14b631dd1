package io.terrace.reconciler.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.git.GitSource;
import io.terrace.reconciler.git.GitSourceException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pull_request} deliveries of {@code /hooks/github}, after the HTTP layer verified their
 * signature: keeps the actions that need a plan (opened, synchronize, reopened) and hands the plan
 * to a background executor. GitHub gives a webhook ten seconds to answer and a plan observes AWS,
 * so the answer never waits for the plan.
 */
public final class PullRequestWebhook {

    public static final String TOKEN_ENV = "GITHUB_TOKEN";
    public static final String API_URL_ENV = "GITHUB_API_URL";

    private static final Logger LOG = LoggerFactory.getLogger("terrace.github");

    /** What the HTTP layer answers. */
    public enum Reception {
        /** 400: not a usable pull_request delivery. */
        MALFORMED(400, "malformed pull_request delivery"),
        /** 202: an action that changes no plan (labels, edits, closing). */
        IGNORED(202, "ignored"),
        /** 202: the plan was queued. */
        ACCEPTED(202, "plan queued");

        private final int status;
        private final String text;

        Reception(int status, String text) {
            this.status = status;
            this.text = text;
        }

        public int status() {
            return status;
        }

        public String text() {
            return text;
        }
    }

    private final Executor background;
    private final Consumer<PullRequestEvent> planner;

    /** @param planner usually {@code event -> commenter.plan(event)}, with its failures logged */
    public PullRequestWebhook(Executor background, Consumer<PullRequestEvent> planner) {
        this.background = background;
        this.planner = planner;
    }

    /**
     * The daemon's pull request planning when {@value #TOKEN_ENV} is set: plans run one at a time
     * on their own thread, and a failure is logged without stopping the next one. Empty without
     * a token.
     */
    public static Optional<PullRequestWebhook> fromEnvironment(Map<String, String> env, GitSource git,
            PullRequestCommenter.LiveState live, PlanOptions options) {
        String token = env.getOrDefault(TOKEN_ENV, "").trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String api = env.getOrDefault(API_URL_ENV, "").trim();
        GitHubComments comments = GitHubComments.create(api.isEmpty() ? GitHubComments.DEFAULT_API : URI.create(api), token);
        PullRequestCommenter commenter = new PullRequestCommenter(git, live, options, comments);
        Executor single = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "terrace-pull-requests");
            t.setDaemon(true);
            return t;
        });
        return Optional.of(new PullRequestWebhook(single, event -> plan(commenter, event)));
    }

    private static void plan(PullRequestCommenter commenter, PullRequestEvent event) {
        try {
            PullRequestCommenter.Result r = commenter.plan(event);
            LOG.atInfo().setMessage("pull-request-plan").addKeyValue("pr", event.pullRequest())
                    .addKeyValue("head", event.headSha()).addKeyValue("environments", r.plan().environments().size())
                    .addKeyValue("comment", r.comment().id()).addKeyValue("created", r.comment().created()).log();
        } catch (GitSourceException | RuntimeException e) {
            LOG.atWarn().setMessage("pull-request-plan-failed").addKeyValue("pr", event.pullRequest())
                    .addKeyValue("head", event.headSha()).addKeyValue("error", e.getMessage()).log();
        }
    }

    /**
     * @param event   the {@code X-GitHub-Event} header
     * @param payload the delivery, signature already verified
     */
    public Reception receive(String event, JsonNode payload) {
        Optional<PullRequestEvent> parsed;
        try {
            parsed = PullRequestEvent.parse(event, payload);
        } catch (IllegalArgumentException e) {
            return Reception.MALFORMED;
        }
        if (parsed.isEmpty()) {
            return Reception.IGNORED;
        }
        background.execute(() -> planner.accept(parsed.get()));
        return Reception.ACCEPTED;
    }
}
