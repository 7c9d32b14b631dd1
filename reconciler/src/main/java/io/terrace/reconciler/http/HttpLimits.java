package io.terrace.reconciler.http;

import java.time.Duration;

/**
 * How much the HTTP server gives one client: threads, timeouts and sizes. The defaults let
 * {@code /healthz} and the webhook answer while many clients connect and send nothing, or send
 * slowly; docs/operations.md ("Limits") explains each value.
 *
 * @param maxThreads       request threads at most; a connection waiting for bytes holds none
 * @param headerTimeout    how long a connection may stay silent before its request head is
 *                         complete, and between two requests on one connection
 * @param idleTimeout      how long a request being handled may wait for the client (body bytes,
 *                         reading the answer)
 * @param maxHeaderBytes   request line and headers together; more is {@code 431}
 * @param maxWebhookBytes  the body of {@code POST /hooks/github}; more is {@code 413}
 * @param maxWebhooksInFlight deliveries read at once, so bodies held in memory stay below this
 *                         times {@code maxWebhookBytes}; others wait up to {@code headerTimeout}
 *                         for a place, then get {@code 503}
 * @param maxBodyBytes     the body of any other request (the API's posts carry none); more is {@code 413}
 * @param stopTimeout      how long a stop waits for requests in flight
 */
public record HttpLimits(int maxThreads, Duration headerTimeout, Duration idleTimeout, int maxHeaderBytes,
                         int maxWebhookBytes, int maxWebhooksInFlight, int maxBodyBytes, Duration stopTimeout) {

    /** GitHub caps webhook payloads at 25 MB and sends nothing larger. */
    public static final HttpLimits DEFAULT = new HttpLimits(64, Duration.ofSeconds(10), Duration.ofSeconds(30),
            8 * 1024, 25 * 1024 * 1024, 8, 64 * 1024, Duration.ofSeconds(5));

    public HttpLimits {
        if (maxThreads < 8) {
            throw new IllegalArgumentException("maxThreads " + maxThreads + ": the server needs at least 8");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxHeaderBytes <= 0 || maxWebhookBytes <= 0 || maxWebhooksInFlight <= 0 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    /** The same limits with other timeouts: what a test that waits for a timeout uses. */
    public HttpLimits withTimeouts(Duration header, Duration idle) {
        return new HttpLimits(maxThreads, header, idle, maxHeaderBytes, maxWebhookBytes, maxWebhooksInFlight,
                maxBodyBytes, stopTimeout);
    }
}
