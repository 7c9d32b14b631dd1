package io.terrace.reconciler.daemon;

import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.history.HistoryRetention;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a daemon runs: the flags of {@code terrace daemon} plus tuning that tests change.
 *
 * @param repo          a local path or a URL of the spec repository
 * @param data          the data folder: {@code repo/} (git copy), {@code history/}, {@code reports/}
 * @param threads       environment passes that run at the same time
 * @param backoffBase   delay after the first failure of an environment, doubled per failure
 * @param backoffCap    longest delay between two attempts of a failing environment
 * @param sweepJitter   the drift interval varies by up to this fraction, so that daemons started
 *                      together do not sweep the AWS APIs in step
 * @param cluster       {@code --cluster}: the PostgreSQL database this daemon shares the
 *                      environments through with other daemons; empty for a single daemon
 * @param historyRetention {@code --history-retention}: how long history entries are kept
 * @param originSecretMaxAge {@code --origin-secret-max-age}: an origin secret older than this is
 *                      rotated by the daemon; empty never rotates
 */
public record DaemonConfig(
        String repo,
        String branch,
        Duration poll,
        Duration driftInterval,
        InetSocketAddress listen,
        Path data,
        String nodeId,
        int threads,
        Duration backoffBase,
        Duration backoffCap,
        double sweepJitter,
        Optional<ClusterOptions> cluster,
        HistoryRetention historyRetention,
        Optional<Duration> originSecretMaxAge) {

    /** {@code --origin-secret-max-age}'s default: 30 days. */
    public static final Duration ORIGIN_SECRET_MAX_AGE = Duration.ofDays(30);

    public DaemonConfig {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(historyRetention, "historyRetention");
        Objects.requireNonNull(originSecretMaxAge, "originSecretMaxAge");
        if (originSecretMaxAge.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
            throw new IllegalArgumentException("--origin-secret-max-age must be positive, or off");
        }
        if (poll.isNegative() || poll.isZero() || driftInterval.isNegative() || driftInterval.isZero()) {
            throw new IllegalArgumentException("--poll and --drift-interval must be positive");
        }
    }

    /** With the default maximum age of origin secrets. */
    public DaemonConfig(String repo, String branch, Duration poll, Duration driftInterval, InetSocketAddress listen,
                        Path data, String nodeId, int threads, Duration backoffBase, Duration backoffCap,
                        double sweepJitter, Optional<ClusterOptions> cluster, HistoryRetention historyRetention) {
        this(repo, branch, poll, driftInterval, listen, data, nodeId, threads, backoffBase, backoffCap, sweepJitter,
                cluster, historyRetention, Optional.of(ORIGIN_SECRET_MAX_AGE));
    }

    /** The defaults of {@code terrace daemon} for a repository and a data folder. */
    public static DaemonConfig defaults(String repo, Path data) {
        return new DaemonConfig(repo, "main", Duration.ofSeconds(30), Duration.ofMinutes(5),
                new InetSocketAddress("127.0.0.1", 8080), data, defaultNodeId(), 4,
                Duration.ofSeconds(10), Duration.ofMinutes(10), 0.1, Optional.empty(), HistoryRetention.DEFAULT);
    }

    public DaemonConfig withRepo(String r) {
        return new DaemonConfig(r, branch, poll, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withBranch(String b) {
        return new DaemonConfig(repo, b, poll, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withPoll(Duration p) {
        return new DaemonConfig(repo, branch, p, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withDriftInterval(Duration d) {
        return new DaemonConfig(repo, branch, poll, d, listen, data, nodeId, threads, backoffBase, backoffCap,
                sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withListen(InetSocketAddress l) {
        return new DaemonConfig(repo, branch, poll, driftInterval, l, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withBackoff(Duration base, Duration cap) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, nodeId, threads, base, cap,
                sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withNodeId(String id) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, id, threads, backoffBase, backoffCap,
                sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withCluster(ClusterOptions c) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, Optional.of(c), historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withThreads(int n) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, nodeId, n, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, originSecretMaxAge);
    }

    public DaemonConfig withHistoryRetention(HistoryRetention r) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, r, originSecretMaxAge);
    }

    public DaemonConfig withOriginSecretMaxAge(Optional<Duration> maxAge) {
        return new DaemonConfig(repo, branch, poll, driftInterval, listen, data, nodeId, threads, backoffBase,
                backoffCap, sweepJitter, cluster, historyRetention, maxAge);
    }

    /**
     * Host name and process id: tells which daemon of a cluster recorded a history entry, and is
     * the node's Quartz instance id, unique among the live nodes. Kept to the characters and
     * length a node id allows.
     */
    static String defaultNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        host = host.isEmpty() ? "node" : host.substring(0, Math.min(host.length(), 50));
        return host + "-" + ProcessHandle.current().pid();
    }
}
