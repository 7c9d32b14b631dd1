package io.terrace.reconciler.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.github.PullRequestEvent;
import io.terrace.reconciler.github.PullRequestWebhook;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/github}: GitHub's deliveries, checked against the shared secret. A push to the
 * watched branch fetches at once; a pull request, when a GitHub token is set, is planned and
 * commented on (docs/pull-requests.md); anything else is acknowledged and ignored.
 */
final class GitHubHook {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.http");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<WebhookSignature> signature;
    private final Optional<PullRequestWebhook> pullRequests;
    private final Daemon daemon;
    private final int maxBytes;

    /** @param signature absent without a secret: every delivery is then refused */
    GitHubHook(Optional<WebhookSignature> signature, Optional<PullRequestWebhook> pullRequests, Daemon daemon,
               int maxBytes) {
        this.signature = signature;
        this.pullRequests = pullRequests;
        this.daemon = daemon;
        this.maxBytes = maxBytes;
    }

    /**
     * A GitHub delivery: its body is read as it arrives, on no thread of its own, up to
     * {@code maxBytes}; then it is checked and answered on a request thread.
     */
    void receive(Exchange ex) {
        if (signature.isEmpty()) {
            ex.json(403, Map.of("error", "webhook disabled: set " + HttpApi.WEBHOOK_SECRET_ENV));
            return;
        }
        if (ex.request().getLength() > maxBytes) {
            ex.json(413, Map.of("error", "payload over " + maxBytes + " bytes"));
            return;
        }
        // BLOCKING: once the body is in, the delivery runs on a request thread, never on the
        // selector that reads every connection.
        Content.Source.asByteArrayAsync(ex.request(), maxBytes, Promise.Invocable.from(Invocable.InvocationType.BLOCKING,
                (byte[] body, Throwable failure) -> {
                    try {
                        if (failure == null) {
                            delivery(ex, body);
                        } else if (Request.getContentBytesRead(ex.request()) > maxBytes) {
                            ex.json(413, Map.of("error", "payload over " + maxBytes + " bytes"));
                        } else {
                            ex.callback().failed(failure); // the client went away or stalled
                        }
                    } catch (RuntimeException e) {
                        ex.fail(e);
                    }
                }));
    }

    /**
     * A GitHub push: verified against the shared secret, then one immediate fetch. A pull_request
     * delivery, when a GitHub token is set, queues a plan comment (docs/pull-requests.md). Other
     * events and pushes to other branches are acknowledged and ignored.
     */
    private void delivery(Exchange ex, byte[] body) {
        if (!signature.orElseThrow().verify(body, ex.header(WebhookSignature.HEADER).orElse(null))) {
            LOG.atWarn().setMessage("webhook-rejected").addKeyValue("reason", "signature").addKeyValue("remote", ex.remoteAddress()).log();
            ex.json(401, Map.of("error", "signature does not match"));
            return;
        }
        String event = ex.header("X-GitHub-Event").orElse("");
        String contentType = ex.header("Content-Type").orElse(null);
        if (event.equals("ping")) {
            ex.json(200, Map.of("status", "pong"));
            return;
        }
        if (event.equals(PullRequestEvent.EVENT) && pullRequests.isPresent()) {
            PullRequestWebhook.Reception r;
            try {
                r = pullRequests.get().receive(event, payload(body, contentType));
            } catch (IOException | IllegalArgumentException e) {
                r = PullRequestWebhook.Reception.MALFORMED;
            }
            ex.json(r.status(), Map.of("status", r.text()));
            return;
        }
        if (!event.equals("push")) {
            ex.json(202, Map.of("status", "ignored", "reason", "event " + event));
            return;
        }
        String ref;
        try {
            ref = payload(body, contentType).path("ref").asText("");
        } catch (IOException | IllegalArgumentException e) {
            ex.json(400, Map.of("error", "payload is not JSON"));
            return;
        }
        String wanted = "refs/heads/" + daemon.config().branch();
        if (!ref.equals(wanted)) {
            ex.json(202, Map.of("status", "ignored", "reason", "push to " + ref + ", watching " + wanted));
            return;
        }
        daemon.pollNow();
        LOG.atInfo().setMessage("webhook").addKeyValue("ref", ref).addKeyValue("action", "fetch").log();
        ex.json(202, Map.of("status", "fetch triggered", "ref", ref));
    }

    /**
     * The push payload: the body itself for content type {@code application/json}, the
     * {@code payload} form field for GitHub's {@code application/x-www-form-urlencoded} option.
     * The signature covers the raw body either way.
     */
    private static JsonNode payload(byte[] body, String contentType) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String field : text.split("&")) {
                if (field.startsWith("payload=")) {
                    return JSON.readTree(URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8));
                }
            }
            throw new IllegalArgumentException("no payload field");
        }
        return JSON.readTree(text);
    }
}
