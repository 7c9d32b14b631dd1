package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.cluster.ClusterDatabase;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.cluster.EnvironmentLeases;
import io.terrace.reconciler.cluster.TestPostgres;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecRepo;
import io.terrace.reconciler.history.HistoryEntry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons in one JVM sharing one PostgreSQL database, with the in-memory cloud as AWS: the
 * wiring of {@code --cluster} seen from what the nodes do together. {@code ScaleOutIT} runs
 * three real daemon processes against moto.
 */
class ClusteredDaemonIT {

    private static final Duration CHECKIN = Duration.ofSeconds(2);

    @TempDir
    Path tmp;
    String url;
    SpecRepo origin;
    final InMemoryCloud cloud = new InMemoryCloud();
    final List<Daemon> nodes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        url = TestPostgres.freshDatabase();
        origin = SpecRepo.init(tmp.resolve("origin"));
    }

    @AfterEach
    void tearDown() {
        cloud.beforeWave((env, wave) -> { });
        nodes.forEach(Daemon::close);
        origin.close();
    }

    @Test
    void eachChangedEnvironmentIsReconciledOnceAcrossTheNodes() throws Exception {
        IntStream.range(0, 6).forEach(i -> origin.write(path("env-" + i), environment("env-" + i, "1.0.0")));
        String commit = origin.commit("six environments");
        Daemon a = start("node-a");
        Daemon b = start("node-b");
        awaitIdle();

        for (int i = 0; i < 6; i++) {
            String env = "env-" + i;
            assertEquals(1, cloud.applies(env).size(), env + " applied once, though both nodes saw the commit");
            assertEquals(commit, cloud.resources.get(env + "/cluster/cluster").tags().get(ObservedResource.REVISION));
        }
        List<HistoryEntry> history = a.history().recent(100);
        assertEquals(12, history.size(), "one plan and one apply per environment, in the shared history");
        assertEquals(history, b.history().recent(100), "both nodes read the same history");

        origin.write(path("env-3"), environment("env-3", "1.1.0"));
        String change = origin.commit("env-3 1.1.0");
        a.pollNow();
        b.pollNow();
        await().until(() -> cloud.applies("env-3").size() == 2);
        awaitIdle();
        assertEquals(2, cloud.applies("env-3").size(), "one pass for the change, not one per node");
        assertEquals(1, cloud.applies("env-2").size());
        // Whichever node ran it, both answer with the revision applied (as the API reads them).
        for (Daemon node : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                node.statuses().catchUp();
                return node.statuses().find("env-3").flatMap(EnvironmentStatus::lastAppliedRevision)
                        .equals(Optional.of(change));
            });
        }
    }

    /**
     * A node's start-up observe that outlasts the drift interval (at 1,000 environments it takes
     * about a minute) settles every claim it made: the poll does not claim them again once they
     * are older than the interval, which queued a second pass of every environment.
     */
    @Test
    void aStartUpObserveLongerThanTheDriftIntervalGivesEachEnvironmentOnePass() throws Exception {
        IntStream.range(0, 6).forEach(i -> origin.write(path("env-" + i), environment("env-" + i, "1.0.0")));
        String commit = origin.commit("six environments");
        Duration driftInterval = Duration.ofSeconds(2);
        java.util.concurrent.atomic.AtomicBoolean startUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        // The start-up observe lasts until the node's claims are older than the drift interval.
        cloud.beforeObserve(() -> {
            if (startUp.getAndSet(false)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM terrace_change_claims "
                        + "WHERE claimed_at < clock_timestamp() - interval '" + driftInterval.toSeconds() + " seconds'") == 6);
            }
        });
        // The first applies wait until the poll is done, so a second pass it queued would run after them.
        CountDownLatch polled = new CountDownLatch(1);
        cloud.beforeWave((env, wave) -> hold(polled));
        Daemon a = start("node-a", driftInterval);
        polled.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 6)
                .allMatch(i -> cloud.applies("env-" + i).size() == 1));
        awaitIdle();

        for (int i = 0; i < 6; i++) {
            String env = "env-" + i;
            List<HistoryEntry> changePasses = a.history().recent(env, 50).stream()
                    .filter(h -> h.kind() == HistoryEntry.Kind.PLAN && h.trigger().contains("change")).toList();
            assertEquals(1, changePasses.size(), () -> env + ": one pass for the commit " + commit + ", not "
                    + changePasses.stream().map(h -> h.startedAt() + " " + h.outcome()).toList());
        }
    }

    /** Who asked for a pass is job data of its trigger, stored as strings: whichever node runs it records the name. */
    @Test
    void whoAskedForASyncTravelsWithItsTriggerToTheNodeThatRunsIt() throws Exception {
        origin.write(path("acme"), environment("acme", "1.0.0"));
        origin.commit("acme");
        Daemon a = start("node-a");
        Daemon b = start("node-b");
        awaitIdle();

        assertTrue(a.syncNow("acme", true, "alice"));
        assertTrue(b.syncNow("acme", false, "ci.deploy"));
        // Until both are recorded: a node looks idle before its scheduler has taken a trigger
        // another node stored, so waiting for idle nodes alone can read the history too early.
        await().until(() -> Set.of("now:alice", "manual:ci.deploy").equals(who(asked(a))));
        awaitIdle();

        List<String> asked = asked(a);
        // One pass with both, or one each; or, when one node's scheduler had already taken the
        // other's trigger as the first pass merged it, that trigger's own pass as well.
        assertEquals(Set.of("now:alice", "manual:ci.deploy"), who(asked), asked.toString());
        assertTrue(asked.size() <= 2, asked.toString());
    }

    /** The triggers of the passes neither a commit nor a sweep asked for. */
    private static List<String> asked(Daemon node) {
        return node.history().recent(100).stream().filter(e -> e.kind() == HistoryEntry.Kind.PLAN)
                .map(HistoryEntry::trigger).filter(t -> !t.equals("change") && !t.equals("sweep")).toList();
    }

    private static Set<String> who(List<String> triggers) {
        return triggers.stream().flatMap(t -> java.util.Arrays.stream(t.split(",")))
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Each node sweeps whole regions: with two regions over two nodes, each node's sweep observes
     * one region's environments, the two cover the fleet, each node's drift report shows the whole
     * fleet, and a node that stops leaves its region to the others.
     */
    @Test
    void eachNodeSweepsItsRegionAndEveryNodeShowsTheWholeFleetsDrift() throws Exception {
        List<String> fleet = IntStream.range(0, 8).mapToObj(i -> "env-" + i).toList();
        fleet.forEach(env -> origin.write(path(env), environment(env, "1.0.0")));
        // Regions of unequal size, alternating, so a split by environment would not match them.
        fleet.forEach(env -> cloud.regions.put(env, Integer.parseInt(env.substring(4)) % 3 == 0 ? "us-east-1" : "eu-west-1"));
        origin.commit("eight environments");
        Daemon a = start("node-a");
        Daemon b = start("node-b");
        awaitIdle();
        await().until(() -> count("SELECT count(*) FROM qrtz_scheduler_state") == 2);
        assertEquals(2, cloud.sharedDetails.size(), "each node shares the details it keeps through the cluster");
        String drifted = "env-2/web/task";
        cloud.drift(drifted, "image", "registry.example.com/evil:1");

        List<String> shareA = sweep(a);
        List<String> shareB = sweep(b);
        awaitIdle();

        assertTrue(!shareA.isEmpty() && !shareB.isEmpty(), shareA + " " + shareB);
        for (List<String> share : List.of(shareA, shareB)) {
            assertEquals(1, share.stream().map(cloud.regions::get).distinct().count(), "one region per node: " + share);
        }
        java.util.Set<String> covered = new java.util.TreeSet<>(shareA);
        covered.addAll(shareB);
        assertEquals(fleet, List.copyOf(covered), "the shares cover the fleet");
        assertEquals(fleet.size(), shareA.size() + shareB.size(), "and do not overlap: " + shareA + " " + shareB);
        assertEquals("registry.example.com/acme/app:1.0.0", cloud.resources.get(drifted).attributes().get("image"),
                "drift corrected");
        assertEquals(fleet.size(), a.history().recent(100).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.PLAN && e.trigger().equals("sweep")).count(),
                "one sweep pass per environment, on either node");
        for (Daemon node : List.of(a, b)) {
            var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(node.driftReport().orElseThrow());
            assertEquals(fleet.size(), report.path("summary").path("environments").asInt(), report.toString());
            assertEquals(1, report.path("summary").path("drifted").asInt(), report.toString());
        }
        var own = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.reports().latestJson().orElseThrow());
        assertEquals(shareA.size(), own.path("summary").path("environments").asInt(), "a's own files: its share");

        b.close();
        nodes.remove(b);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> sweep(a).size() == fleet.size());
    }

    /**
     * The first node to poll claims the whole fleet and observes it region by region, not at once:
     * a node sized for its share of the sweep would not hold the fleet's observe.
     */
    @Test
    void aNodeObservesWhatItClaimedRegionByRegion() throws Exception {
        List<String> fleet = IntStream.range(0, 6).mapToObj(i -> "env-" + i).toList();
        fleet.forEach(env -> origin.write(path(env), environment(env, "1.0.0")));
        fleet.forEach(env -> cloud.regions.put(env, Integer.parseInt(env.substring(4)) % 2 == 0 ? "us-east-1" : "eu-west-1"));
        origin.commit("six environments in two regions");
        start("node-a");
        awaitIdle();

        List<Collection<String>> batches = cloud.observes.stream().filter(o -> o.size() > 1).toList();
        assertEquals(2, batches.size(), "one observe per region: " + cloud.observes);
        for (Collection<String> batch : batches) {
            assertEquals(3, batch.size(), batch.toString());
            assertEquals(1, batch.stream().map(cloud.regions::get).distinct().count(), "one region: " + batch);
        }
    }

    /**
     * Runs a sweep of {@code node} once no pass runs (a pass observing meanwhile would come first)
     * and returns the environments its batched observe covered.
     */
    private List<String> sweep(Daemon node) {
        awaitIdle();
        int observes = cloud.observes.size();
        long sweeps = node.sweeps();
        node.sweepNow();
        await().until(() -> node.sweeps() > sweeps);
        return List.copyOf(cloud.observes.get(observes));
    }

    @Test
    void aNodeStoppedDuringAnApplyHandsTheEnvironmentToAnother() throws Exception {
        origin.write(path("other"), environment("other", "1.0.0"));
        origin.commit("one environment");
        Daemon a = start("node-a");
        Daemon b = start("node-b");
        awaitIdle();
        CountDownLatch atSecondWave = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> heldOn = new AtomicReference<>();
        cloud.beforeWave((env, wave) -> {
            if (env.equals("acme") && wave == 1 && atSecondWave.getCount() > 0) {
                heldOn.set(Thread.currentThread().getName());
                atSecondWave.countDown();
                hold(release);
            }
        });

        origin.write(path("acme"), environment("acme", "1.0.0"));
        String commit = origin.commit("new environment acme");
        a.pollNow();
        b.pollNow();
        assertTrue(atSecondWave.await(30, TimeUnit.SECONDS));
        Daemon stopping = heldOn.get().contains("node-a") ? a : b;
        Daemon survivor = stopping == a ? b : a;
        Thread stopper = new Thread(stopping::close);
        stopper.start();
        await().until(() -> stopping.stopping().isPresent());
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        nodes.remove(stopping);

        await().atMost(Duration.ofSeconds(30)).until(() -> cloud.applies("acme").size() == 2);
        List<ApplyResult> applies = cloud.applies("acme");
        assertEquals(ApplyResult.Outcome.STOPPED, applies.get(0).outcome());
        assertEquals(ApplyResult.Outcome.APPLIED, applies.get(1).outcome(), "the other node finished it");
        assertEquals(commit, cloud.resources.get("acme/cluster/cluster").tags().get(ObservedResource.REVISION));
        // The history entry is written after the apply returns: wait for it rather than race it.
        await().atMost(Duration.ofSeconds(30)).until(() -> survivor.history().recent("acme", 10).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.APPLY).count() == 2);
        List<HistoryEntry> applied = survivor.history().recent("acme", 10).stream()
                .filter(e -> e.kind() == HistoryEntry.Kind.APPLY).toList();
        assertEquals(List.of("applied", "stopped"), applied.stream().map(HistoryEntry::outcome).toList());
        assertNotEquals(applied.get(0).nodeId(), applied.get(1).nodeId());
        assertEquals(survivor.config().nodeId(), applied.get(0).nodeId());
    }

    @Test
    void anEnvironmentLeasedElsewhereWaitsForItsLease() throws Exception {
        origin.write(path("acme"), environment("acme", "1.0.0"));
        origin.commit("acme");
        try (ClusterDatabase other = ClusterDatabase.open(options("elsewhere"))) {
            Daemon a;
            try (EnvironmentLeases.Lease lease = new EnvironmentLeases(other).tryAcquire("acme").orElseThrow()) {
                a = start("node-a");
                await().until(() -> a.polls() >= 1);
                // Positive sign: the pass ran and deferred itself on the lease, and applied nothing.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> a.metrics().value("terrace.passes.deferred", "environment", "acme", "reason", "leased") >= 1);
                assertEquals(List.of(), cloud.applies("acme"));
            }
            await().atMost(EnvironmentReconciler.RECHECK.plusSeconds(10)).until(() -> cloud.applies("acme").size() == 1);
            // The history entry is written once the apply has returned.
            await().atMost(Duration.ofSeconds(10)).until(() -> !a.history().recent("acme", 10).isEmpty());
        }
    }

    private Daemon start(String node) throws Exception {
        return start(node, Duration.ofHours(1));
    }

    private Daemon start(String node, Duration driftInterval) throws Exception {
        DaemonConfig config = DaemonConfig.defaults(origin.dir().toString(), tmp.resolve(node))
                .withNodeId(node)
                .withPoll(Duration.ofHours(1))
                .withDriftInterval(driftInterval)
                .withListen(new InetSocketAddress("127.0.0.1", 0))
                .withCluster(options(node));
        Daemon d = Daemon.start(config,
                new Daemon.Engine(cloud, cloud, PlanFunction.planner(PlanOptions.DEFAULT), SnapshotReader.SPECS),
                Clock.systemUTC(), Optional.empty(), Map.of());
        nodes.add(d);
        await().until(() -> d.polls() >= 1);
        return d;
    }

    private ClusterOptions options(String node) {
        return ClusterOptions.parse(url, Map.of(), CHECKIN, node, 4);
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(Daemon::idle));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
