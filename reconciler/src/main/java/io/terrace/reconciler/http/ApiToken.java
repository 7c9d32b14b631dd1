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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bearer tokens that guard the daemon's API and dashboard ({@code --api-token-file} or
 * {@code TERRACE_API_TOKEN}), each with a name that the history records as who asked. A file of one
 * word is one token named {@value #DEFAULT_NAME}, as is {@code TERRACE_API_TOKEN}; otherwise the
 * file holds lines {@code NAME TOKEN} or {@code NAME: TOKEN}. It keeps only digests of the tokens,
 * compares in constant time, and never shows a token in {@link #toString()}, so neither a log
 * line nor a timing tells anything about them.
 */
public final class ApiToken {

    public static final String ENV = "TERRACE_API_TOKEN";
    /** Who asked, for the single token of today's one-word file, {@code TERRACE_API_TOKEN} or an open API. */
    public static final String DEFAULT_NAME = io.terrace.reconciler.daemon.Trigger.API;
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final String BEARER = "bearer ";

    /** One token: its name, the digest it is compared by, and its dashboard session cookie. */
    private record Named(String name, byte[] digest, String dashboardCookie) {}

    private final List<Named> tokens;

    private ApiToken(List<Named> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    private static Named named(String name, String token) {
        return new Named(name, sha256(token),
                HexFormat.of().formatHex(hmac(token, "terrace dashboard session")));
    }

    /** A token as given, named {@value #DEFAULT_NAME}; surrounding whitespace (a file's final newline) is not part of it. */
    public static ApiToken of(String token) {
        String t = token.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("the API token is empty");
        }
        if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("the API token contains spaces or control characters");
        }
        return new ApiToken(List.of(named(DEFAULT_NAME, t)));
    }

    /**
     * The tokens of a token file's text: one word is one token named {@value #DEFAULT_NAME}
     * (the format before names); otherwise every line that is not blank or a {@code #} comment is
     * {@code NAME TOKEN} or {@code NAME: TOKEN}, names match {@link #NAME}, and no name or token
     * appears twice. A problem is one line with its line number, never a token.
     */
    public static ApiToken parse(String text) {
        String whole = text.strip();
        if (whole.isEmpty() || whole.chars().noneMatch(Character::isWhitespace)) {
            return of(whole);
        }
        List<Named> tokens = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        Map<String, Integer> tokenLines = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            if (fields.length != 2) {
                throw new IllegalArgumentException("line " + number + ": expected NAME TOKEN or NAME: TOKEN");
            }
            String name = fields[0].endsWith(":") ? fields[0].substring(0, fields[0].length() - 1) : fields[0];
            String token = fields[1];
            if (!NAME.matcher(name).matches()) {
                // The name is not shown: a token written in its place would end up in a log.
                throw new IllegalArgumentException("line " + number + ": a name is 1 to 63 of a-z 0-9 . _ - "
                        + "starting with a letter or digit");
            }
            if (token.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("line " + number + ": the token contains control characters");
            }
            Integer sameName = nameLines.putIfAbsent(name, number);
            if (sameName != null) {
                throw new IllegalArgumentException("line " + number + ": the name " + name + " is already on line " + sameName);
            }
            Integer sameToken = tokenLines.putIfAbsent(HexFormat.of().formatHex(sha256(token)), number);
            if (sameToken != null) {
                throw new IllegalArgumentException("line " + number + ": the same token as on line " + sameToken);
            }
            tokens.add(named(name, token));
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no tokens: only comments and blank lines");
        }
        return new ApiToken(tokens);
    }

    /**
     * The tokens of {@code --api-token-file} when given, else of {@code TERRACE_API_TOKEN} when
     * set and not empty; empty when neither: the API is then open, as before. Problems are one
     * line naming the file (and the line), never a token.
     */
    public static Optional<ApiToken> load(Optional<Path> file, Map<String, String> env) {
        if (file.isPresent()) {
            String text = read(file.get());
            try {
                return Optional.of(parse(text));
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

    /**
     * The token a client ({@code terrace status --daemon}) sends: the one of {@code --api-token-file}
     * (a one-word file, or a file of one {@code NAME TOKEN} line), else {@code TERRACE_API_TOKEN}.
     */
    public static Optional<String> forClient(Optional<Path> file, Map<String, String> env) {
        load(file, env); // refuses, in one line, what the daemon would refuse
        if (file.isEmpty()) {
            return Optional.ofNullable(env.get(ENV)).map(String::strip).filter(t -> !t.isEmpty());
        }
        String text = read(file.get()).strip();
        if (text.chars().noneMatch(Character::isWhitespace)) {
            return Optional.of(text);
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.size() != 1) {
            throw new IllegalArgumentException("--api-token-file " + file.get() + ": holds " + lines.size()
                    + " tokens; a client sends one (give a file of one token)");
        }
        return Optional.of(lines.get(0).split("[ \t]+")[1]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--api-token-file " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("--api-token-file " + file + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("--api-token-file " + file + ": cannot read it: " + e.getMessage());
        }
    }

    /** The names of the tokens, in file order. */
    public List<String> names() {
        return tokens.stream().map(Named::name).toList();
    }

    /**
     * The name of the token {@code presented} is, if it is one. Every token is compared, in
     * constant time: the time taken does not depend on which token, or how much of one, is right.
     */
    public Optional<String> nameOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String found = null;
        for (Named t : tokens) {
            if (MessageDigest.isEqual(t.digest(), digest)) {
                found = t.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code presented} is one of the tokens. */
    public boolean matches(String presented) {
        return nameOf(presented).isPresent();
    }

    /** The name of the token an {@code Authorization} header carries as {@code Bearer <token>}, if it is one. */
    public Optional<String> authorizedName(String authorizationHeader) {
        return bearer(authorizationHeader).flatMap(this::nameOf);
    }

    /** Whether an {@code Authorization} header carries one of the tokens as {@code Bearer <token>}. */
    public boolean authorizes(String authorizationHeader) {
        return authorizedName(authorizationHeader).isPresent();
    }

    /**
     * The value of the dashboard's session cookie for the token named {@code name}: derived from
     * the token, so a cookie stops working when the token is rotated and the cookie jar never
     * holds the token itself.
     */
    public String dashboardCookie(String name) {
        return tokens.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().dashboardCookie();
    }

    /** The cookie of the first (with a one-word file, the only) token. */
    public String dashboardCookie() {
        return tokens.get(0).dashboardCookie();
    }

    /** The name of the token whose dashboard session a cookie value is, if it is one; in constant time. */
    public Optional<String> dashboardCookieName(String value) {
        if (value == null) {
            return Optional.empty();
        }
        byte[] presented = value.getBytes(StandardCharsets.US_ASCII);
        String found = null;
        for (Named t : tokens) {
            if (MessageDigest.isEqual(t.dashboardCookie().getBytes(StandardCharsets.US_ASCII), presented)) {
                found = t.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether a cookie value is the dashboard session of one of the tokens. */
    public boolean isDashboardCookie(String value) {
        return dashboardCookieName(value).isPresent();
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
