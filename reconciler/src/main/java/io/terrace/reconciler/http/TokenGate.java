package io.terrace.reconciler.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a request may reach the API or the dashboard when an {@link ApiToken} is set,
 * and which token's name it acts as: {@code Authorization: Bearer <token>}, or the dashboard's
 * session cookie, which a browser gets by opening {@code /?token=<token>} once. Probes ({@code /healthz}, {@code /readyz}) and
 * Prometheus ({@code /metrics}) stay open; the webhook has its own HMAC check.
 */
final class TokenGate {

    /** Paths that answer without the token: what probes and a Prometheus scrape need. */
    static final Set<String> OPEN = Set.of("/healthz", "/readyz", "/metrics");
    static final String COOKIE = "terrace_session";

    private static final Logger LOG = LoggerFactory.getLogger("terrace.http");
    private static final String CHALLENGE = "Bearer realm=\"terrace\"";

    private final ApiToken token;

    TokenGate(ApiToken token) {
        this.token = token;
    }

    /**
     * The name of the token the request carries (who asked) when it may go on; otherwise empty,
     * and the answer has been sent: {@code 401} with a {@code WWW-Authenticate} challenge, or, for
     * a right {@code ?token=} on the dashboard, a redirect to the same page without it that sets
     * the session cookie of that token.
     */
    Optional<String> admit(Exchange ex) {
        String path = ex.path();
        if (OPEN.contains(path)) {
            return Optional.of(ApiToken.DEFAULT_NAME);
        }
        Optional<String> query = queryToken(ex);
        if (isDashboard(path) && query.isPresent()) {
            Optional<String> name = token.nameOf(query.get());
            if (name.isPresent()) {
                login(ex, path, name.get());
                return Optional.empty();
            }
        }
        String authorization = ex.header("Authorization").orElse(null);
        Optional<String> name = token.authorizedName(authorization);
        if (name.isEmpty()) {
            name = cookie(ex).flatMap(token::dashboardCookieName);
        }
        if (name.isPresent()) {
            return name;
        }
        boolean presented = authorization != null || cookie(ex).isPresent() || query.isPresent();
        // The path only: the query may hold a token, and no token is ever logged.
        LOG.atWarn().setMessage("api-rejected").addKeyValue("reason", presented ? "invalid-token" : "no-token")
                .addKeyValue("path", path).addKeyValue("remote", ex.remoteAddress()).log();
        ex.setHeader("WWW-Authenticate",
                presented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
        ex.jsonLine(401, presented
                ? "invalid token"
                : "this endpoint needs Authorization: Bearer <token> (in a browser, open /?token=<token> once)");
        return Optional.empty();
    }

    private static boolean isDashboard(String path) {
        return path.equals("/") || path.equals("/index.html");
    }

    /**
     * 303 to the page without the query, so the token leaves the address bar and is not sent on
     * as a Referer; the cookie is HttpOnly (no script reads it) and SameSite=Strict (no other
     * site's page sends it).
     */
    private void login(Exchange ex, String path, String name) {
        String secure = ex.header("X-Forwarded-Proto").filter("https"::equalsIgnoreCase).isPresent() ? "; Secure" : "";
        ex.setHeader("Set-Cookie", COOKIE + "=" + token.dashboardCookie(name) + "; Path=/; HttpOnly; SameSite=Strict" + secure);
        ex.setHeader("Location", path);
        ex.sendEmpty(303);
    }

    private static Optional<String> cookie(Exchange ex) {
        for (String header : ex.headers("Cookie")) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> queryToken(Exchange ex) {
        Optional<String> query = ex.rawQuery();
        if (query.isEmpty()) {
            return Optional.empty();
        }
        for (String field : query.get().split("&")) {
            if (field.startsWith("token=")) {
                try {
                    return Optional.of(URLDecoder.decode(field.substring("token=".length()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.of(""); // a broken %-escape: a wrong token, not a server error
                }
            }
        }
        return Optional.empty();
    }
}
