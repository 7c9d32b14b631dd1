package io.terrace.reconciler.github;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The {@code pull_request} part of {@code /hooks/github}: verifies the delivery's HMAC signature,
 * keeps only the actions that need a plan, and hands the plan to a background executor. GitHub
 * gives a webhook ten seconds to answer, and a plan observes AWS, so the answer never waits for
 * the plan.
 */
public final class PullRequestWebhook {

    /** What the HTTP layer answers. */
    public enum Reception {
        /** 401: the signature is missing or does not match the secret. */
        UNAUTHORIZED(401),
        /** 400: signed, but not a usable pull_request delivery. */
        MALFORMED(400),
        /** 204: another event or an action that changes no plan. */
        IGNORED(204),
        /** 202: the plan was queued. */
        ACCEPTED(202);

        private final int status;

        Reception(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final WebhookSignature signature;
    private final Executor background;
    private final Consumer<PullRequestEvent> planner;

    /**
     * @param planner usually {@code event -> commenter.plan(event)}, with its failures logged
     */
    public PullRequestWebhook(WebhookSignature signature, Executor background, Consumer<PullRequestEvent> planner) {
        this.signature = signature;
        this.background = background;
        this.planner = planner;
    }

    /**
     * @param event          the {@code X-GitHub-Event} header
     * @param signatureValue the {@code X-Hub-Signature-256} header, or null when absent
     * @param body           the raw request body, exactly as received
     */
    public Reception receive(String event, String signatureValue, byte[] body) {
        if (!signature.verify(body, signatureValue)) {
            return Reception.UNAUTHORIZED;
        }
        Optional<PullRequestEvent> parsed;
        try {
            parsed = PullRequestEvent.parse(event, body);
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
