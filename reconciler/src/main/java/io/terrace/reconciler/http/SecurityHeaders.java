package io.terrace.reconciler.http;

import org.eclipse.jetty.http.HttpFields;

/**
 * The headers every answer carries, pages and errors alike: the pages load nothing but their own
 * stylesheet and script (no inline script or style), post forms only to this server, are never framed (clickjacking), are
 * never guessed into another content type, and send no {@code Referer} onwards.
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    static void addTo(HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
    }
}
