package io.terrace.reconciler.daemon;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.planner.Component;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.git.SpecRepo;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.regions.Region;

/**
 * The fleet benchmark ({@code scripts/bench-fleet [N] [--cluster]}): one {@code terrace daemon}
 * (or three sharing a PostgreSQL database) over N live environments on moto.
 *
 * <p>Seeding is Terrace's own apply: a first daemon ({@code --threads} {@value #SEED_THREADS})
 * converges the N environments from nothing, so the fleet is exactly what Terrace creates, and
 * the number that do not converge (or do not then plan empty) is reported. Then a fresh daemon
 * (an empty data folder: cold caches, as after a new install) starts on the same repository and
 * live state, and the figures are read from its {@code /metrics}, {@code /api/environments} and
 * {@code /proc}: time to the first complete sweep (every environment planned against live state)
 * and its AWS calls per environment (cold), then steady-state sweeps and their calls (warm), by
 * service; peak RSS and heap used after a GC; commit → applied latency by polling and by webhook;
 * drift → correction latency; and the share of the sweep spent waiting for the emulator.
 *
 * <p>{@link FleetIT} runs the same harness at N = 50 and asserts the call budgets.
 */
public final class FleetBenchmark {

    /** moto answers on one Python interpreter (one core at most): more threads than this only queue there. */
    static final int SEED_THREADS = 24;
    static final String THREADS = "4";
    /** One daemon's heap cap over the whole fleet (docs/operations.md, Fleet scale). */
    static final String HEAP = "512m";
    /**
     * Each of the three nodes' heap cap: half of one daemon's, for a node that sweeps a third of
     * the regions and observes a start's claims region by region (one daemon alone keeps more than
     * this after a full GC at 1,000 environments).
     */
    static final String NODE_HEAP = "256m";
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "eu-central-1"};

    /**
     * Per-environment AWS calls of one sweep, by service, and the sweep's duration. The scheduled
     * check of origin secrets (one {@code SecretsManager:DescribeSecret} per environment, hourly
     * by default) is not the sweep's: when it ran in the sweep's window its calls are left out of
     * these and counted in {@code originChecksPerEnvironment}.
     */
    public record Sweep(double seconds, double observeSeconds, long passes, Map<String, Double> callsPerEnvironment,
                        double awsSeconds, Map<String, Double> operationsPerEnvironment, double originChecksPerEnvironment) {
        double total() {
            return callsPerEnvironment.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** {@code restart} is null for a cluster (not measured). */
    public record Figures(int environments, double seedSeconds, long seedCalls, int notConverged, int notEmpty,
                          Sweep cold, Sweep restart, Sweep warm, long peakRssKb, long heapUsedKb, long apiEnvironmentsMillis,
                          double pollLatency, double webhookLatency, double driftLatency, String text) {}

    private final int n;
    private final Path work;
    private final URI endpoint;
    private final PrintStream out;
    private final List<String> clusterUrls;
    private final Duration driftInterval;
    private boolean full = true;
    private SpecRepo origin;
    /** The commit of the N specs, which seeding applies. */
    private String commit;

    FleetBenchmark(int n, Path work, URI endpoint, PrintStream out, List<String> clusterUrls) {
        this.n = n;
        this.work = work;
        this.endpoint = endpoint;
        this.out = out;
        this.clusterUrls = clusterUrls;
        // The next sweep is due one interval after a sweep's observe ends: long enough that its
        // passes (2 s at 1,000 environments) end before it, short enough not to wait for nothing.
        this.driftInterval = Duration.ofSeconds(20 + n / 25);
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        boolean cluster = false;
        for (String a : args) {
            if (a.equals("--cluster")) {
                cluster = true;
            } else if (a.equals("--seed-only")) {
                System.setProperty("terrace.fleet.seed-only", "true");
            } else {
                n = Integer.parseInt(a);
            }
        }
        URI endpoint = URI.create(System.getProperty("terrace.test.endpoint", ""));
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        Path work = Files.createTempDirectory("terrace-fleet");
        List<String> urls = new ArrayList<>();
        if (cluster) {
            urls.add(io.terrace.reconciler.cluster.TestPostgres.freshDatabase());
        }
        Figures f = new FleetBenchmark(n, work, endpoint, System.out, urls).run();
        Path file = Path.of("target", "fleet-figures.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.text());
        System.out.println("written to " + file.toAbsolutePath());
        System.exit(0);
    }

    /** Only the calls: seeding, the cold start and two sweeps (no memory, API or latency figures). */
    FleetBenchmark callsOnly() {
        full = false;
        return this;
    }

    /**
     * moto's CPU time so far in seconds, from {@code /proc/<pid>/stat} (utime + stime, in the
     * kernel's 100 Hz clock ticks); {@code scripts/bench-fleet} passes moto's PID. NaN when unknown.
     */
    static double motoCpuSeconds() {
        String pid = System.getProperty("terrace.fleet.moto-pid");
        if (pid == null) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** How busy moto was during a phase: one Python process answers on one core at most. */
    private void motoShare(StringBuilder text, String phase, double cpuAtStart, double seconds) {
        double busy = motoCpuSeconds() - cpuAtStart;
        if (!Double.isNaN(busy)) {
            line(text, "    moto busy %.1f s of the %s's %.1f s (%.0f %% of the one core it can use)", busy, phase,
                    seconds, 100 * busy / seconds);
        }
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "fleet-%04d", i);
    }

    /** Every tenth environment is standard tier (database, cache, search, CDN); the rest developer. Three regions. */
    static String spec(int i, String tag) {
        String region = REGIONS[i % REGIONS.length];
        if (i % 10 == 9) {
            return "apiVersion: terrace/v1\nkind: Environment\nname: " + name(i) + "\nclient: acme\ntier: standard\n"
                    + "stage: staging\nregion: " + region + "\napplication:\n"
                    + "  image: registry.example.com/acme/app:" + tag + "\n"
                    + "  web: { cpu: 512, memory: 1024, min: 1, max: 4 }\n"
                    + "database:\n  instanceClass: db.t4g.medium\n  readers: { min: 0, max: 1 }\n"
                    + "search:\n  nodes: 1\ncdn:\n  aliases: [" + name(i) + ".acme.example]\n";
        }
        return TestSpecs.environment(name(i), tag).replace("region: eu-west-1", "region: " + region);
    }

    Figures run() throws Exception {
        StringBuilder text = new StringBuilder();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        line(text, "fleet benchmark: %d environments (every tenth standard tier, the rest developer; regions %s), "
                + "moto at %s, %d cores, load average at start %s", n, String.join("/", REGIONS), endpoint,
                Runtime.getRuntime().availableProcessors(), load);
        origin = SpecRepo.init(work.resolve("origin"));
        for (int i = 0; i < n; i++) {
            origin.write(TestSpecs.path(name(i)), spec(i, "1.0.0"));
        }
        commit = origin.commit(n + " environments");

        // 1. Seeding: Terrace's own apply, --threads SEED_THREADS.
        long t0 = System.nanoTime();
        double motoAtStart = motoCpuSeconds();
        int notConverged;
        long seedCalls;
        Map<String, Double> seedByService;
        Map<String, Double> seedByOperation;
        try (DaemonProcess seeder = launch("seed", Duration.ofHours(1), "2s", List.of("--threads",
                String.valueOf(SEED_THREADS)), Optional.empty())) {
            seeder.awaitReady();
            // Converged: every environment applied at the commit, and its revision stamped, which the
            // pass that follows a new environment's first apply does (it adds the CDN domain).
            awaitQuiet(seeder, Duration.ofMinutes(10 + n / 10), () -> applied(seeder, commit) >= n
                    && stamped(n, commit) >= n);
            notConverged = n - Math.min(applied(seeder, commit), stamped(n, commit));
            seedCalls = Math.round(sum(seeder.text("/metrics"), "terrace_aws_calls_total"));
            seedByService = perEnvironment(calls(List.of(seeder), "service"));
            seedByOperation = perEnvironment(calls(List.of(seeder), "operation"));
        }
        double seedSeconds = seconds(t0);
        line(text, "seeding (terrace's own apply, --threads %d): %.1f s (%.2f s per environment), %d AWS calls "
                + "(%.1f per environment), %d environments not converged", SEED_THREADS, seedSeconds, seedSeconds / n,
                seedCalls, (double) seedCalls / n, notConverged);
        seedByService.forEach((service, c) -> line(text, "    %-28s %6.2f/env", service, c));
        motoShare(text, "seeding", motoAtStart, seedSeconds);
        if (Boolean.getBoolean("terrace.fleet.seed-only")) {
            line(text, "seeding's calls by operation:");
            seedByOperation.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> line(text, "    %-56s %6.2f/env", e.getKey(), e.getValue()));
            return new Figures(n, seedSeconds, seedCalls, notConverged, 0, null, null, null, 0, 0, 0, 0, 0, 0,
                    text.toString());
        }

        // With --cluster, one daemon alone first: what the cluster's calls and memory are compared with.
        Optional<Sweep[]> alone = Optional.empty();
        long aloneRss = 0;
        if (!clusterUrls.isEmpty()) {
            Sweep aloneCold = coldStart("alone-cold", false, false, text).cold();
            List<DaemonProcess> one = startNodes("alone", driftInterval, false);
            try {
                Sweep[] sweeps = sweeps(one, "one daemon alone, ", text);
                alone = Optional.of(new Sweep[] {aloneCold, sweeps[1]});
                aloneRss = peakRssKb(one.get(0).pid());
                line(text, "one daemon alone (-Xmx%s): peak RSS %d MiB, %s", HEAP, aloneRss / 1024, heap(one.get(0).pid()));
            } finally {
                for (DaemonProcess p : one) {
                    p.close();
                }
            }
        }

        // 2. A fresh daemon (or cluster) on the seeded fleet, no sweep due for an hour: the cold start alone.
        ColdStart start = coldStart("cold", !clusterUrls.isEmpty(), false, text);
        int notEmpty = start.notEmpty();
        Sweep cold = start.cold();
        // The same daemon restarted on its data folder: details and task definitions kept. A cluster
        // restarted at the same commit within the drift interval makes no start-up pass (each
        // environment's claim of that commit is in the database): its first sweep does that work.
        Sweep restart = null;
        if (clusterUrls.isEmpty()) {
            restart = coldStart("cold", false, true, text).cold();
        } else {
            line(text, "restart of three nodes: not measured (at the same commit within the drift interval a cluster "
                    + "makes no start-up pass: the claims are in the database; the first sweep below observes the fleet)");
        }

        // 3. Another fresh daemon, sweeping every drift interval once its start-up passes are done.
        List<DaemonProcess> nodes = startNodes("fleet", driftInterval, !clusterUrls.isEmpty());
        Throwable failure = null;
        try {
            DaemonProcess d = nodes.get(0);
            Sweep[] sweeps = sweeps(nodes, "", text);
            Sweep warm = sweeps[1];
            if (alone.isPresent()) {
                line(text, "three nodes / one daemon alone, AWS calls per environment: cold %.2f, warm %.2f",
                        cold.total() / alone.get()[0].total(), warm.total() / alone.get()[1].total());
            }
            if (!full) {
                return new Figures(n, seedSeconds, seedCalls, notConverged, notEmpty, cold, restart, warm, 0, 0, 0, 0, 0, 0,
                        text.toString());
            }

            // 4. Memory.
            long rss = 0;
            long heap = 0;
            for (DaemonProcess p : nodes) {
                long r = peakRssKb(p.pid());
                Heap h = heap(p.pid());
                line(text, "node %s (-Xmx%s): peak RSS %d MiB, %s", p.pid(), nodes.size() > 1 ? NODE_HEAP : HEAP, r / 1024, h);
                rss = Math.max(rss, r);
                heap = Math.max(heap, h.usedAfterGcKb());
            }
            if (aloneRss > 0) {
                line(text, "largest node's peak RSS / one daemon alone's: %.2f", (double) rss / aloneRss);
            }

            // 5. The API at N rows.
            long api = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long a = System.nanoTime();
                d.text("/api/environments");
                api = Math.min(api, (System.nanoTime() - a) / 1_000_000);
            }
            line(text, "GET /api/environments with %d rows: %d ms (best of 5)", n, api);
            long page = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long a = System.nanoTime();
                d.text("/");
                page = Math.min(page, (System.nanoTime() - a) / 1_000_000);
            }
            line(text, "GET / (the dashboard's fleet page, its first page of rows) over %d environments: %d ms "
                    + "(best of 5)", n, page);

            // 6. Commit -> applied, by polling (--poll 10s) and by webhook.
            origin.write(TestSpecs.path(name(0)), spec(0, "1.0.1"));
            String c1 = origin.commit("one environment changes by polling");
            long p0 = System.nanoTime();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> d.environment(name(0)).path("lastAppliedRevision").asText().equals(c1));
            double pollLatency = seconds(p0);
            origin.write(TestSpecs.path(name(3)), spec(3, "1.0.1"));
            String c2 = origin.commit("one environment changes by webhook");
            long w0 = System.nanoTime();
            for (DaemonProcess p : nodes) {
                p.push("main");
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> d.environment(name(3)).path("lastAppliedRevision").asText().equals(c2));
            double webhookLatency = seconds(w0);
            line(text, "commit -> applied, one environment: %.1f s polling (--poll 10s), %.1f s with the webhook",
                    pollLatency, webhookLatency);

            // 7. Drift -> correction: the web service scaled by hand, corrected at the next sweep.
            String drifted = name(6);
            Region region = Region.of(REGIONS[6 % REGIONS.length]);
            double driftLatency;
            try (AwsClients aws = new AwsClients(region, Optional.of(endpoint), new AwsCallCounter())) {
                aws.ecs.updateService(b -> b.cluster(ResourceNames.ecsCluster(drifted))
                        .service(ResourceNames.ecsService(Component.WEB)).desiredCount(7));
                long dr0 = System.nanoTime();
                await().atMost(driftInterval.multipliedBy(3).plusMinutes(5)).pollInterval(Duration.ofMillis(500))
                        .until(() -> aws.ecs.describeServices(b -> b.cluster(ResourceNames.ecsCluster(drifted))
                                .services(ResourceNames.ecsService(Component.WEB))).services().get(0).desiredCount() != 7);
                driftLatency = seconds(dr0);
            }
            line(text, "drift -> correction: %.1f s (--drift-interval %d s: corrected by the next sweep)", driftLatency,
                    driftInterval.toSeconds());
            Figures f = new Figures(n, seedSeconds, seedCalls, notConverged, notEmpty, cold, restart, warm, rss, heap, api,
                    pollLatency, webhookLatency, driftLatency, text.toString());
            return f;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            // The first failure is the finding (a daemon out of memory, a sweep that never ends):
            // a daemon that then does not stop must not hide it.
            for (DaemonProcess p : nodes) {
                try {
                    p.close();
                } catch (RuntimeException | Error closing) {
                    if (failure == null) {
                        throw closing;
                    }
                    failure.addSuppressed(closing);
                }
            }
            origin.close();
        }
    }

    /** A cold start's calls, and how many environments did not plan empty. */
    private record ColdStart(Sweep cold, int notEmpty) {}

    /**
     * Fresh daemons (three sharing the cluster's database when {@code clustered}, else one) on the
     * seeded fleet with no sweep due for an hour, until every environment was planned once; when
     * {@code restarted}, on the data folders an earlier start of {@code prefix} left.
     */
    private ColdStart coldStart(String prefix, boolean clustered, boolean restarted, StringBuilder text)
            throws IOException, InterruptedException {
        List<DaemonProcess> coldNodes = startNodes(prefix, Duration.ofHours(1), clustered);
        String who = clustered ? (restarted ? "three restarted nodes" : "three nodes")
                : (restarted ? "the restarted daemon" : "a fresh daemon");
        try {
            long started = System.nanoTime();
            double motoAtColdStart = motoCpuSeconds();
            coldNodes.forEach(DaemonProcess::awaitReady);
            awaitQuiet(coldNodes.get(0), Duration.ofMinutes(5 + n / 20), () -> passes(coldNodes) >= n);
            double firstSweep = seconds(started);
            int notEmpty = notEmpty(coldNodes);
            Sweep cold = new Sweep(firstSweep, 0, passes(coldNodes), perEnvironment(calls(coldNodes, "service")),
                    sum(coldNodes, "terrace_aws_call_seconds_total"), perEnvironment(calls(coldNodes, "operation")), 0);
            line(text, "first complete sweep of %s (every environment planned against live state): %.1f s; "
                    + "%d environments do not plan empty", who, firstSweep, notEmpty);
            describe(text, restarted ? "restart, " + who + " (start-up passes, details and task definitions from the data folder)"
                    : "cold, " + who + " (start-up passes, empty caches)", cold);
            motoShare(text, "first complete sweep", motoAtColdStart, firstSweep);
            return new ColdStart(cold, notEmpty);
        } finally {
            for (DaemonProcess p : coldNodes) {
                p.close();
            }
        }
    }

    /** The first drift sweep and the next (warm) of {@code nodes}, once their start-up passes are done. */
    private Sweep[] sweeps(List<DaemonProcess> nodes, String who, StringBuilder text) throws IOException, InterruptedException {
        nodes.forEach(DaemonProcess::awaitReady);
        DaemonProcess d = nodes.get(0);
        awaitQuiet(d, Duration.ofMinutes(5 + n / 20), () -> passes(nodes) >= n);
        awaitSweptByEveryNode(nodes);
        Sweep first = measureSweep(nodes);
        Sweep warm = measureSweep(nodes);
        String timed = " (timed from the sweep before: the drift interval of " + driftInterval.toSeconds()
                + " s, jittered, then this sweep)";
        describe(text, who + "first drift sweep" + timed, first);
        describe(text, who + "steady-state sweep (warm)" + timed, warm);
        return new Sweep[] {first, warm};
    }

    private List<DaemonProcess> startNodes(String prefix, Duration drift, boolean clustered) throws IOException {
        List<DaemonProcess> nodes = new ArrayList<>();
        int count = clustered ? 3 : 1;
        for (int i = 1; i <= count; i++) {
            nodes.add(launch(prefix + "-" + i, drift, "10s", List.of("--threads", THREADS),
                    clustered ? Optional.of(clusterUrls.get(0)) : Optional.empty(), clustered ? NODE_HEAP : HEAP));
        }
        return nodes;
    }

    /**
     * The calls from now until every node has swept once more (each node sweeps its share of a
     * cluster), per environment swept meanwhile: a node that swept twice in the window counts its
     * environments twice.
     */
    private Sweep measureSweep(List<DaemonProcess> nodes) throws IOException {
        double swept = sum(nodes, "terrace_drift_swept_environments_total");
        Map<String, Double> calls = calls(nodes, "service");
        Map<String, Double> operations = calls(nodes, "operation");
        double aws = sum(nodes, "terrace_aws_call_seconds_total");
        double observe = sum(nodes, "terrace_drift_sweep_observe_seconds_sum");
        double checks = sum(nodes, "terrace_origin_secret_checks_total");
        long passes = passes(nodes);
        long started = System.nanoTime();
        awaitSweptByEveryNode(nodes);
        double seconds = seconds(started);
        double originChecks = sum(nodes, "terrace_origin_secret_checks_total") - checks;
        double environments = sum(nodes, "terrace_drift_swept_environments_total") - swept;
        return new Sweep(seconds, sum(nodes, "terrace_drift_sweep_observe_seconds_sum") - observe,
                passes(nodes) - passes,
                per(lessBy(minus(calls(nodes, "service"), calls), "SecretsManager", originChecks), environments),
                sum(nodes, "terrace_aws_call_seconds_total") - aws,
                per(lessBy(minus(calls(nodes, "operation"), operations), ORIGIN_CHECK_CALL, originChecks), environments),
                originChecks / n);
    }

    /** Waits until every node has finished one more sweep than now. */
    private void awaitSweptByEveryNode(List<DaemonProcess> nodes) throws IOException {
        Map<DaemonProcess, Double> before = new java.util.HashMap<>();
        for (DaemonProcess p : nodes) {
            before.put(p, sum(List.of(p), "terrace_drift_sweeps_total"));
        }
        awaitQuiet(nodes.get(0), driftInterval.multipliedBy(3).plusMinutes(5), () -> nodes.stream()
                .allMatch(p -> sum(List.of(p), "terrace_drift_sweeps_total") > before.get(p)));
    }

    /** What one scheduled check of an environment's origin secret calls. */
    static final String ORIGIN_CHECK_CALL = "SecretsManager:DescribeSecret";

    private static Map<String, Double> lessBy(Map<String, Double> calls, String key, double by) {
        Map<String, Double> out = new TreeMap<>(calls);
        out.computeIfPresent(key, (k, c) -> Math.max(0, c - by));
        return out;
    }

    private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new TreeMap<>();
        after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0.0)));
        return delta;
    }

    private void describe(StringBuilder text, String title, Sweep s) {
        line(text, "%s: %.1f s%s, %d passes, %.2f AWS calls per environment; %.1f s on the wire to moto (summed over "
                        + "threads)", title, s.seconds(),
                s.observeSeconds() > 0 ? String.format(Locale.ROOT, " (batched observe %.1f s)", s.observeSeconds()) : "",
                s.passes(), s.total(), s.awsSeconds());
        if (s.originChecksPerEnvironment() > 0) {
            line(text, "    left out: the scheduled check of origin secrets ran in this window, %.2f checks per environment"
                    + " (one %s each)", s.originChecksPerEnvironment(), ORIGIN_CHECK_CALL);
        }
        s.callsPerEnvironment().forEach((service, c) -> {
            if (c > 0.004) {
                line(text, "    %-28s %6.2f/env", service, c);
            }
        });
        line(text, "    the most frequent operations:");
        s.operationsPerEnvironment().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> line(text, "      %-52s %6.2f/env", e.getKey(), e.getValue()));
    }

    private void line(StringBuilder text, String format, Object... args) {
        String l = String.format(Locale.ROOT, format, args);
        out.println(l);
        out.flush();
        text.append(l).append('\n');
    }

    private DaemonProcess launch(String id, Duration drift, String poll, List<String> args, Optional<String> cluster)
            throws IOException {
        return launch(id, drift, poll, args, cluster, HEAP);
    }

    private DaemonProcess launch(String id, Duration drift, String poll, List<String> args, Optional<String> cluster,
                                 String heap) throws IOException {
        List<String> all = new ArrayList<>(args);
        cluster.ifPresent(url -> all.addAll(List.of("--cluster", url, "--node-id", id)));
        return DaemonProcess.launch(origin.dir(), work.resolve(id), endpoint, poll, drift.toSeconds() + "s",
                work.resolve(id + ".log"), all, Map.of("MOTO_ECS_SERVICE_RUNNING", "20"), heap);
    }

    private static void awaitQuiet(DaemonProcess d, Duration atMost, BooleanSupplier done) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!d.alive()) {
                throw new AssertionError("daemon exited: " + d.log());
            }
            return done.getAsBoolean();
        });
    }

    /** Environments whose ECS cluster carries {@code commit} as its revision, read from AWS. */
    private int stamped(int n, String commit) {
        int count = 0;
        for (String regionName : REGIONS) {
            try (AwsClients aws = new AwsClients(Region.of(regionName), Optional.of(endpoint), new AwsCallCounter())) {
                List<String> clusters = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (REGIONS[i % REGIONS.length].equals(regionName)) {
                        clusters.add(ResourceNames.ecsCluster(name(i)));
                    }
                }
                for (int from = 0; from < clusters.size(); from += 100) {
                    List<String> page = clusters.subList(from, Math.min(clusters.size(), from + 100));
                    count += (int) aws.ecs.describeClusters(b -> b.clusters(page)
                                    .include(software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().stream()
                            .filter(c -> c.tags().stream().anyMatch(t -> t.key().equals(io.terrace.planner.ObservedResource.REVISION)
                                    && t.value().equals(commit)))
                            .count();
                }
            }
        }
        return count;
    }

    private int applied(DaemonProcess d, String commit) {
        try {
            int count = 0;
            for (JsonNode e : d.json("/api/environments").path("environments")) {
                if (e.path("lastAppliedRevision").asText().equals(commit)) {
                    count++;
                }
            }
            return count;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Environments whose last pass did not find them in sync at the commit. */
    /**
     * Environments no node reports in sync with nothing pending (each node of a cluster shows the
     * status of its own last pass, {@code pending} for those another node ran).
     */
    private int notEmpty(List<DaemonProcess> nodes) throws IOException {
        Map<String, JsonNode> worst = new TreeMap<>();
        for (DaemonProcess d : nodes) {
            for (JsonNode e : d.json("/api/environments").path("environments")) {
                boolean fine = e.path("status").asText().equals("synced") || e.path("pendingChanges").asInt() > 0;
                String name = e.path("name").asText();
                if (fine) {
                    worst.put(name, null);
                } else if (!worst.containsKey(name) || worst.get(name) != null) {
                    worst.put(name, e);
                }
            }
        }
        worst.values().stream().filter(java.util.Objects::nonNull).forEach(e -> out.println("  not in sync: "
                + e.path("name").asText() + " " + e.path("status").asText() + " " + e.path("message").asText()));
        return (int) worst.values().stream().filter(java.util.Objects::nonNull).count();
    }

    private long passes(List<DaemonProcess> nodes) {
        return Math.round(sum(nodes, "terrace_reconciles_total"));
    }

    private static double sum(List<DaemonProcess> nodes, String metric) {
        double s = 0;
        for (DaemonProcess p : nodes) {
            try {
                s += sum(p.text("/metrics"), metric);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return s;
    }

    /** The sum of a metric's samples in a Prometheus text exposition. */
    static double sum(String metrics, String metric) {
        double s = 0;
        for (String l : metrics.split("\n")) {
            if (l.startsWith(metric + "{") || l.startsWith(metric + " ")) {
                s += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return s;
    }

    /** {@code terrace_aws_calls_total} summed over the nodes by one label: {@code service}, or {@code operation} (as {@code Service:Operation}). */
    private static Map<String, Double> calls(List<DaemonProcess> nodes, String by) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (DaemonProcess p : nodes) {
            for (String l : p.text("/metrics").split("\n")) {
                if (l.startsWith("terrace_aws_calls_total{")) {
                    String service = label(l, "service");
                    out.merge(by.equals("service") ? service : service + ":" + label(l, "operation"),
                            Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        return out;
    }

    private static String label(String sample, String name) {
        int i = sample.indexOf(name + "=\"") + name.length() + 2;
        return sample.substring(i, sample.indexOf('"', i));
    }

    private Map<String, Double> perEnvironment(Map<String, Double> calls) {
        return per(calls, n);
    }

    private static Map<String, Double> per(Map<String, Double> calls, double environments) {
        Map<String, Double> out = new TreeMap<>();
        calls.forEach((s, c) -> out.put(s, c / environments));
        return out;
    }

    static long peakRssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * The heap as GC.heap_info reads it (its first line), in KiB: committed ("total") before a
     * full GC, which the peak RSS holds, and used after one (jcmd GC.run), which is what the
     * daemon keeps.
     */
    record Heap(long committedKb, long usedAfterGcKb) {
        @Override
        public String toString() {
            return String.format("heap committed %d MiB, used after a full GC %d MiB", committedKb / 1024,
                    usedAfterGcKb / 1024);
        }
    }

    static Heap heap(long pid) throws IOException, InterruptedException {
        long committed = heapInfo(pid, "total");
        jcmd(pid, "GC.run");
        return new Heap(committed, heapInfo(pid, "used"));
    }

    private static long heapInfo(long pid, String figure) throws IOException, InterruptedException {
        var m = java.util.regex.Pattern.compile(figure + " (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
