package io.terrace.reconciler.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer token that guards the daemon's API and dashboard ({@code --api-token-file} or
 * {@code TERRACE_API_TOKEN}). It keeps only digests of the token, compares in constant time, and
 * never shows the token in {@link #toString()}, so neither a log line nor a timing tells anything
 * about it.
 */
public final class ApiToken {

    public static final String ENV = "TERRACE_API_TOKEN";
    private static final String BEARER = "bearer ";

    private final byte[] digest;
    private final String dashboardCookie;

    private ApiToken(String token) {
        this.digest = sha256(token);
        this.dashboardCookie = HexFormat.of().formatHex(hmac(token, "terrace dashboard session"));
    }

    /** A token as given; surrounding whitespace (a file's final newline) is not part of it. */
    public static ApiToken of(String token) {
        String t = token.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the API token is empty");
        }
        if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("the API token contains spaces or control characters");
        }
        return new ApiToken(t);
    }

    /**
     * The token of {@code --api-token-file} when given, else of {@code TERRACE_API_TOKEN} when set
     * and not empty; empty when neither: the API is then open, as before. Problems are one line
     * naming the file, never its content.
     */
    public static Optional<ApiToken> load(Optional<Path> file, Map<String, String> env) {
        if (file.isPresent()) {
            String text;
            try {
                text = Files.readString(file.get(), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--api-token-file " + file.get() + ": no such file");
            } catch (AccessDeniedException e) {
                throw new IllegalArgumentException("--api-token-file " + file.get() + ": permission denied");
            } catch (IOException e) {
                throw new IllegalArgumentException("--api-token-file " + file.get() + ": cannot read it: " + e.getMessage());
            }
            try {
                return Optional.of(of(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--api-token-file " + file.get() + ": " + e.getMessage());
            }
        }
        String fromEnv = env.getOrDefault(ENV, "");
        if (fromEnv.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(fromEnv));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + ": " + e.getMessage());
        }
    }

    /** Whether {@code presented} is the token; the time taken does not depend on how much of it is right. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Whether an {@code Authorization} header carries the token as {@code Bearer <token>}. */
    public boolean authorizes(String authorizationHeader) {
        return bearer(authorizationHeader).map(this::matches).orElse(false);
    }

    /**
     * The value of the dashboard's session cookie: derived from the token, so a cookie stops
     * working when the token is rotated and the cookie jar never holds the token itself.
     */
    public String dashboardCookie() {
        return dashboardCookie;
    }

    /** Whether a cookie value is this token's dashboard session. */
    public boolean isDashboardCookie(String value) {
        return value != null && MessageDigest.isEqual(
                dashboardCookie.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token of a {@code Bearer} header (the scheme is case-insensitive, RFC 7235). */
    static Optional<String> bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip());
    }

    @Override
    public String toString() {
        return "ApiToken[hidden]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] hmac(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
