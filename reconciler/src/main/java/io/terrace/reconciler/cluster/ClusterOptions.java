package io.terrace.reconciler.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How a daemon joins a cluster: the PostgreSQL database every node shares, the Quartz check-in
 * interval, and this node's id. Built from {@code --cluster jdbc:postgresql://HOST[:PORT]/DB}; the
 * password comes from {@code TERRACE_DB_PASSWORD} or, failing that, the URL
 * ({@code user:password@HOST} or {@code ?password=}). Credentials are kept out of {@link #url()}
 * and {@link #toString()} so the options can be logged.
 *
 * @param url             the JDBC URL without credentials: safe to print
 * @param user            the database user, when the URL names one (else the driver's default)
 * @param password        the database password, when one was given; never printed
 * @param checkinInterval how often each node checks in; a node silent for this long plus
 *                        Quartz's fixed 7.5 s grace is declared dead and its work taken over
 * @param nodeId          the daemon's node id ({@code --node-id}, default {@code host-pid}): the
 *                        Quartz instance id, unique among the live nodes
 * @param workerThreads   environments this node reconciles at the same time
 */
public record ClusterOptions(
        String url,
        Optional<String> user,
        Optional<String> password,
        Duration checkinInterval,
        String nodeId,
        int workerThreads) {

    public static final String PASSWORD_VARIABLE = "TERRACE_DB_PASSWORD";
    private static final String PREFIX = "jdbc:postgresql://";

    public ClusterOptions {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("--cluster must be a jdbc:postgresql://HOST[:PORT]/DB URL, got " + url);
        }
        if (checkinInterval.isNegative() || checkinInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--cluster-checkin must be at least 1s, got " + checkinInterval);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("worker threads must be at least 1, got " + workerThreads);
        }
        checkNodeId(nodeId);
    }

    /**
     * Parses {@code --cluster URL}: moves credentials out of the URL; {@code TERRACE_DB_PASSWORD}
     * in {@code env} wins over a password in the URL, so the URL can be shown in a process list.
     */
    public static ClusterOptions parse(String url, Map<String, String> env, Duration checkin,
                                       String nodeId, int workers) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("--cluster must be a jdbc:postgresql://HOST[:PORT]/DB URL, got "
                    + redact(url));
        }
        URI uri;
        try {
            uri = new URI(url.substring("jdbc:".length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--cluster is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("--cluster must name a host and a database: jdbc:postgresql://HOST[:PORT]/DB");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            if (parts.length == 2) {
                password = Optional.of(decode(parts[1]));
            }
        }
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
                switch (key) {
                    case "user" -> user = Optional.of(value);
                    case "password" -> password = Optional.of(value);
                    default -> kept.add(pair);
                }
            }
        }
        String fromEnv = env.get(PASSWORD_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            password = Optional.of(fromEnv);
        }
        String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String clean = PREFIX + hostPort + uri.getRawPath() + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new ClusterOptions(clean, user, password, checkin, nodeId, workers);
    }

    /** Driver properties: the credentials that were taken out of the URL. */
    public Properties connectionProperties() {
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", "terrace " + nodeId);
        return p;
    }

    public ClusterOptions withNodeId(String id) {
        return new ClusterOptions(url, user, password, checkinInterval, id, workerThreads);
    }

    @Override
    public String toString() {
        return "ClusterOptions[url=" + url + ", user=" + user.orElse("(default)")
                + ", password=" + (password.isPresent() ? "(set)" : "(none)")
                + ", checkinInterval=" + checkinInterval + ", nodeId=" + nodeId
                + ", workerThreads=" + workerThreads + "]";
    }

    /** The URL with any password blanked, for messages about a URL that failed to parse. */
    static String redact(String url) {
        return url.replaceAll("(//[^/@:]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static void checkNodeId(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("--node-id must be 1-64 letters, digits, '.', '_' or '-', got " + id);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
