package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.FaultProxy;
import io.terrace.reconciler.aws.FaultProxy.Fault;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.daemon.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet applied through {@link FaultProxy} with {@value #RATE_PERCENT} % of every call failing
 * (throttling in each protocol's shape, 500, 503, a reset connection, an answer past the SDK's
 * attempt timeout, a lost response; seeded), each environment applied again until two applies
 * have succeeded, as the daemon's sweeps would (the second gives the web task the distribution's
 * domain): every environment converges, the next plan through a clean client is empty,
 * and no resource exists twice. The same fleet applied first without faults gives the call
 * baseline. Prints the figures and writes them to {@code target/chaos-figures.txt}.
 */
@NeedsMoto
class ChaosIT {

    private static final int ENVIRONMENTS = 12;
    private static final int RATE_PERCENT = 15;
    private static final long SEED = 20261204L;
    private static final int PASSES = 7;
    private static final int THREADS = 6;
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(4000);

    @TempDir
    Path dir;
    private SpecRepo repo;
    private FaultProxy proxy;
    private final List<String> envs = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY, Long.toString(ATTEMPT_TIMEOUT.toMillis()));
        proxy = new FaultProxy(Moto.endpoint(), SEED).delay(ATTEMPT_TIMEOUT.plusMillis(500));
        repo = SpecRepo.ofExamples(dir);
        try (Stream<Path> files = Files.list(dir.resolve("environments"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        IntStream.range(0, ENVIRONMENTS).forEach(i -> envs.add("chaos-" + i));
        for (String env : envs) {
            SpecRepo.write(dir, TestSpecs.path(env), TestSpecs.environment(env, "1.0.0"));
        }
        repo.commit(ENVIRONMENTS + " developer environments");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(AwsClients.ATTEMPT_TIMEOUT_PROPERTY);
        proxy.close();
    }

    /** One environment's convergence: the applies it took, its AWS calls and its time. */
    record Converged(int applies, Duration time, String lastOutput) {}

    @Test
    void aFleetConvergesThroughFifteenPercentFaultsWithoutDuplicates() throws Exception {
        Moto.reset();
        proxy.resetCounts();
        Map<String, Converged> clean = applyFleet();
        long cleanCalls = proxy.calls();
        clean.forEach((env, c) -> assertEquals(TerraceCli.OK, exit(c), env + " without faults:\n" + c.lastOutput()));

        Moto.reset();
        proxy.resetCounts();
        proxy.failEvery(RATE_PERCENT / 100.0, EnumSet.allOf(Fault.class));
        Map<String, Converged> chaos = applyFleet();
        proxy.healthy();
        long chaosCalls = proxy.calls();
        long faults = proxy.faults();
        var slowest = chaos.entrySet().stream().max(Map.Entry.comparingByValue(
                (a, b) -> a.time().compareTo(b.time()))).orElseThrow();
        int revisionsBound = 2 + (int) proxy.faultsByOperation().entrySet().stream()
                .filter(e -> e.getKey().startsWith("ecs:RegisterTaskDefinition ")).mapToLong(Map.Entry::getValue).sum();

        String figures = "chaos against moto: " + ENVIRONMENTS + " developer environments, " + RATE_PERCENT
                + " % of calls faulted (seed " + SEED + "; throttling, 500, 503, reset, answer past the "
                + ATTEMPT_TIMEOUT.toMillis() + " ms attempt timeout, lost response)\n"
                + "  without faults: " + cleanCalls + " AWS calls, slowest environment "
                + seconds(clean.values().stream().map(Converged::time).max(Duration::compareTo).orElseThrow()) + "\n"
                + "  with faults:    " + chaosCalls + " AWS calls (" + String.format("%.2f", (double) chaosCalls / cleanCalls)
                + "x), " + faults + " faults injected, applies per environment "
                + chaos.values().stream().map(c -> Integer.toString(c.applies())).toList() + "\n"
                + "  slowest environment to converge: " + slowest.getKey() + " in " + seconds(slowest.getValue().time())
                + " (" + slowest.getValue().applies() + " applies)\n"
                + "  faults by kind: " + byKind() + "\n";
        System.out.println(figures);
        Path out = Path.of("target", "chaos-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures);

        chaos.forEach((env, c) -> assertEquals(TerraceCli.OK, exit(c), env + " converged within " + PASSES
                + " applies:\n" + c.lastOutput()));
        CliRun plan = terrace(Moto.endpoint().toString(), "plan");
        assertEquals(TerraceCli.OK, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("No changes"), plan.out());
        assertEquals(List.of(), LiveDuplicates.of(envs, revisionsBound));
        assertTrue(faults > 0, figures);
        assertTrue(chaosCalls <= 2 * cleanCalls, figures);
    }

    private static int exit(Converged c) {
        return c.applies() <= PASSES && c.lastOutput().startsWith("OK") ? TerraceCli.OK : TerraceCli.ERROR;
    }

    /**
     * Applies each environment until an apply succeeds, as the daemon's sweeps would, up to
     * {@value #PASSES} times, {@value #THREADS} environments at a time (each with its own data
     * folder, past the account's apply lease, which one apply at a time holds).
     */
    private Map<String, Converged> applyFleet() throws Exception {
        Map<String, Converged> out = new java.util.concurrent.ConcurrentHashMap<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(THREADS);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (String env : envs) {
                runs.add(pool.submit(() -> out.put(env, converge(env))));
            }
            for (var run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new java.util.TreeMap<>(out);
    }

    private Converged converge(String env) {
        long started = System.nanoTime();
        int applies = 0;
        int succeeded = 0;
        int exit;
        java.io.StringWriter printed;
        // Two successful applies: the second gives the web task the distribution's domain
        // (CDN_DOMAIN), which only exists once the first has made the distribution.
        do {
            printed = new java.io.StringWriter();
            java.io.PrintWriter w = new java.io.PrintWriter(printed, true);
            exit = TerraceCli.run(Terminal.NONE, java.time.Clock.systemUTC(), w, w, "apply", "--repo", dir.toString(),
                    "--endpoint-url", proxy.endpoint().toString(), "--auto-approve", "--ignore-lock",
                    "--data", dir.resolveSibling(env + "-data").toString(), "--env", env);
            applies++;
            succeeded += exit == TerraceCli.OK ? 1 : 0;
        } while (succeeded < 2 && applies < PASSES);
        return new Converged(applies, Duration.ofNanos(System.nanoTime() - started),
                (exit == TerraceCli.OK ? "OK\n" : "FAILED\n") + printed);
    }

    private String byKind() {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        proxy.faultsByOperation().forEach((k, n) -> kinds.merge(k.substring(k.lastIndexOf(' ') + 1), n, Long::sum));
        return kinds.toString();
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private CliRun terrace(String endpoint, String command, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = command;
        all[1] = "--repo";
        all[2] = dir.toString();
        all[3] = "--endpoint-url";
        all[4] = endpoint;
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.run(all);
    }
}
