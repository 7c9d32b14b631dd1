package io.terrace.reconciler.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.daemon.DaemonProcess;
import io.terrace.reconciler.daemon.TestSpecs;
import io.terrace.reconciler.git.SpecRepo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ClusterField;

/**
 * Issue #7 end to end: three {@code terrace daemon --cluster} processes on one PostgreSQL
 * database share 30 environments of a git repository on disk, against moto; one is killed with
 * SIGKILL while it applies. Every environment converges, no environment is ever reconciled by
 * two nodes at overlapping times, the dead node's passes are taken over within Quartz's delay,
 * and the cluster spends about the AWS calls one daemon spends on the same repository. Prints
 * the figures and writes them to {@code target/cluster-figures.txt}.
 */
@NeedsMoto
class ScaleOutIT {

    private static final int ENVIRONMENTS = 30;
    private static final Duration CHECKIN = Duration.ofSeconds(2);
    /** Quartz declares a node dead this long after its last check-in, past the interval. */
    private static final Duration QUARTZ_GRACE = Duration.ofMillis(7500);
    private static final String THREADS = "2";
    private static final Duration CONVERGE = Duration.ofMinutes(4);
    private static final String PASSWORD = "never-in-a-log";

    @TempDir
    Path tmp;
    URI endpoint;
    SpecRepo origin;
    String commit;
    final List<DaemonProcess> daemons = new ArrayList<>();

    @BeforeEach
    void setUp() {
        endpoint = Moto.endpoint();
        origin = SpecRepo.init(tmp.resolve("origin"));
        IntStream.range(0, ENVIRONMENTS).forEach(i -> origin.write(TestSpecs.path(name(i)),
                TestSpecs.environment(name(i), "1.0.0")));
        commit = origin.commit(ENVIRONMENTS + " developer environments");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (DaemonProcess d : daemons) {
            d.close();
        }
        origin.close();
        // The daemons' logs, kept for a failed run too.
        try (var logs = Files.list(tmp)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, Path.of("target", "cluster-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void threeDaemonsShareTheEnvironmentsAndTakeOverFromOneKilledMidRun() throws Exception {
        Moto.reset();
        long started = System.nanoTime();
        DaemonProcess single = launch("single", List.of("--threads", THREADS));
        single.awaitReady();
        // Converged as the cluster below: applied at the commit and stamped, which the pass that
        // follows a new environment's first apply (adding the CDN domain) does.
        await().atMost(CONVERGE).until(() -> IntStream.range(0, ENVIRONMENTS)
                .allMatch(i -> single.environment(name(i)).path("lastAppliedRevision").asText().equals(commit))
                && unstampedClusters().isEmpty());
        Duration singleTime = Duration.ofNanos(System.nanoTime() - started);
        long singleCalls = awsCalls(single);
        single.terminate();
        System.out.println("one daemon: " + singleCalls + " AWS calls, converged in " + seconds(singleTime));

        Moto.reset();
        String url = TestPostgres.freshDatabase();
        started = System.nanoTime();
        List<DaemonProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            nodes.add(launch("node-" + i, List.of("--threads", THREADS, "--node-id", "node-" + i,
                    "--cluster", url, "--cluster-checkin", CHECKIN.toSeconds() + "s")));
        }
        nodes.forEach(DaemonProcess::awaitReady);

        // Mid-run: a third of the environments applied, and the node to kill has just started the
        // first apply of one (seconds of creates ahead: still running when the kill lands).
        String victimId = await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
                .until(() -> appliedEnvironments(url) >= ENVIRONMENTS / 3 ? startingAnApply(url) : "",
                        node -> !node.isEmpty());
        DaemonProcess victim = nodes.get(Integer.parseInt(victimId.substring("node-".length())) - 1);
        long victimCalls = awsCalls(victim);
        victim.kill();
        Instant killed = Instant.now();
        Set<String> inFlight = new TreeSet<>(strings(url, "SELECT job_name FROM qrtz_fired_triggers WHERE instance_name = ?"
                + " AND job_group = 'environments' AND state = 'EXECUTING'", victimId));
        assertFalse(inFlight.isEmpty(), "the killed node was applying");

        await().atMost(CHECKIN.multipliedBy(2).plus(QUARTZ_GRACE).plusSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> strings(url, "SELECT job_name FROM qrtz_fired_triggers WHERE instance_name = ?",
                        victimId).isEmpty());
        Duration takeover = Duration.between(killed, Instant.now());
        System.out.println("killed " + victimId + " applying " + inFlight + "; taken over after " + seconds(takeover));

        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).until(() -> converged(url) && quiet(url));
        Duration clusterTime = Duration.ofNanos(System.nanoTime() - started);
        long clusterCalls = victimCalls;
        for (DaemonProcess n : nodes) {
            clusterCalls += n == victim ? 0 : awsCalls(n);
        }
        Map<String, Instant> recovered = new TreeMap<>();
        for (String env : inFlight) {
            recovered.put(env, firstPassAfter(url, env, killed, victimId));
        }
        List<String> passesByNode = strings(url, "SELECT node_id || ' ' || count(*) FROM reconcile_history"
                + " WHERE kind = 'plan' GROUP BY node_id ORDER BY node_id");
        Duration recoveredBy = Duration.between(killed, recovered.values().stream().max(Instant::compareTo).orElseThrow());

        String figures = "scale-out against moto: " + ENVIRONMENTS + " developer environments, --threads " + THREADS
                + " per daemon, --cluster-checkin " + CHECKIN.toSeconds() + "s\n"
                + "  one daemon (H2):          " + singleCalls + " AWS calls, converged in " + seconds(singleTime) + "\n"
                + "  three daemons, one killed: " + clusterCalls + " AWS calls (" + String.format("%.2f", (double) clusterCalls / singleCalls)
                + "x), converged in " + seconds(clusterTime) + "\n"
                + "  passes by node: " + String.join(", ", passesByNode) + "\n"
                + "  killed " + victimId + " while it applied " + String.join(",", inFlight) + "\n"
                + "  takeover after kill -9: " + seconds(takeover) + " (dead node's passes released and recovered;"
                + " Quartz: dead once its last check-in is " + CHECKIN.toSeconds() + " s + 7.5 s old)\n"
                + "  recovered passes started by: " + seconds(recoveredBy) + " after the kill\n";
        System.out.println(figures);
        Path out = Path.of("target", "cluster-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);

        assertLiveStateAtTheCommit();
        assertEquals(List.of(), overlaps(url), "no environment reconciled by two nodes at overlapping times");
        assertEquals(3, passesByNode.size(), "every node took a share: " + passesByNode);
        assertTrue(clusterCalls <= singleCalls * 1.2, figures);
        assertTrue(takeover.compareTo(CHECKIN.multipliedBy(2).plus(QUARTZ_GRACE).plusSeconds(5)) < 0, figures);
        for (int i = 1; i <= 3; i++) {
            assertFalse(Files.readString(tmp.resolve("node-" + i + ".log")).contains(PASSWORD), "password in a log");
        }
    }

    private DaemonProcess launch(String id, List<String> args) throws IOException {
        DaemonProcess d = DaemonProcess.launch(origin.dir(), tmp.resolve(id), endpoint, "1s", "1h",
                tmp.resolve(id + ".log"), args, Map.of(ClusterOptions.PASSWORD_VARIABLE, PASSWORD));
        daemons.add(d);
        return d;
    }

    /**
     * A node that started, less than a second ago, the pass of an environment not yet applied at
     * the commit (its first apply, many creates long), or "" when none has.
     */
    private String startingAnApply(String url) throws SQLException {
        return strings(url, "SELECT instance_name FROM qrtz_fired_triggers WHERE job_group = 'environments'"
                + " AND state = 'EXECUTING' AND fired_time > CAST(? AS bigint) AND job_name NOT IN (SELECT environment"
                + " FROM reconcile_history WHERE kind = 'apply' AND outcome = 'applied' AND revision = ?)"
                + " ORDER BY fired_time DESC LIMIT 1",
                Long.toString(System.currentTimeMillis() - 1000), commit).stream().findFirst().orElse("");
    }

    private int appliedEnvironments(String url) throws SQLException {
        return strings(url, "SELECT DISTINCT environment FROM reconcile_history WHERE kind = 'apply'"
                + " AND outcome = 'applied' AND revision = ?", commit).size();
    }

    /**
     * Every environment's newest history entry says it is at the commit: an apply that applied
     * it (or only recorded it, when a killed node applied everything and died before that), or
     * a plan that found nothing to change.
     */
    private boolean converged(String url) throws SQLException {
        return strings(url, """
                SELECT h.environment FROM reconcile_history h
                WHERE h.revision = ? AND h.id = (SELECT max(id) FROM reconcile_history l WHERE l.environment = h.environment)
                  AND ((h.kind = 'apply' AND h.outcome IN ('applied', 'no-changes'))
                       OR (h.kind = 'plan' AND h.outcome = 'no-changes'))""",
                commit).size() == ENVIRONMENTS;
    }

    /** No environment pass running, waiting or due on any node. */
    private static boolean quiet(String url) throws SQLException {
        return strings(url, "SELECT trigger_name FROM qrtz_triggers WHERE job_group = 'environments'").isEmpty()
                && strings(url, "SELECT entry_id FROM qrtz_fired_triggers WHERE job_group = 'environments'").isEmpty();
    }

    private static Instant firstPassAfter(String url, String env, Instant after, String victim) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT min(started_at) FROM reconcile_history WHERE environment = ? AND node_id <> ? AND started_at > ?")) {
            ps.setString(1, env);
            ps.setString(2, victim);
            ps.setObject(3, after.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                if (t == null) {
                    throw new AssertionError("no pass of " + env + " after the kill");
                }
                return t.toInstant();
            }
        }
    }

    /** Pairs of passes of one environment whose times overlap: there must be none. */
    private static List<String> overlaps(String url) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement("""
                SELECT a.environment, a.node_id, a.started_at, b.node_id, b.started_at
                FROM reconcile_history a JOIN reconcile_history b
                  ON a.environment = b.environment AND a.kind = 'plan' AND b.kind = 'plan' AND a.id < b.id
                WHERE a.started_at < b.started_at + b.duration_ms * interval '1 millisecond'
                  AND b.started_at < a.started_at + a.duration_ms * interval '1 millisecond'""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + ": " + rs.getString(2) + "@" + rs.getString(3)
                        + " and " + rs.getString(4) + "@" + rs.getString(5));
            }
        }
        return out;
    }

    /** What the SDK sees: every ECS cluster active and stamped with the commit, which the executor does last. */
    private void assertLiveStateAtTheCommit() {
        assertEquals(List.of(), unstampedClusters());
    }

    /** The environments' ECS clusters that are missing, or not active and stamped with the commit, with their tags. */
    private List<String> unstampedClusters() {
        try (AwsClients aws = Moto.clients()) {
            List<String> names = IntStream.range(0, ENVIRONMENTS).mapToObj(i -> ResourceNames.ecsCluster(name(i))).toList();
            var clusters = aws.ecs.describeClusters(b -> b.clusters(names).include(ClusterField.TAGS)).clusters();
            List<String> out = new ArrayList<>();
            for (String name : names) {
                var c = clusters.stream().filter(x -> x.clusterName().equals(name)).findFirst();
                if (c.isEmpty() || !c.get().status().equals("ACTIVE") || c.get().tags().stream()
                        .noneMatch(t -> t.key().equals("terrace:revision") && t.value().equals(commit))) {
                    out.add(name + " " + c.map(x -> x.status() + " " + x.tags()).orElse("missing"));
                }
            }
            return out;
        }
    }

    /** The sum of {@code terrace_aws_calls_total} over services, from the node's /metrics. */
    private static long awsCalls(DaemonProcess d) throws IOException {
        double sum = 0;
        for (String line : d.text("/metrics").split("\n")) {
            if (line.startsWith("terrace_aws_calls_total{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    /** The first column of a query's rows, in order. */
    private static List<String> strings(String url, String sql, String... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static String name(int i) {
        return String.format("scale-%02d", i);
    }
}
