package io.terrace.reconciler.cli;

import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.EnvironmentFailover;
import io.terrace.reconciler.engine.Failover;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code terrace failover ENV}: promote an Aurora reader to writer and a Redis replica to primary
 * ({@link EnvironmentFailover}), wait until done, and record it in the history of {@code --data}.
 * The reconciler has nothing to undo afterwards: the writer's identity is not desired state.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Promote a database reader to writer and the cache replica to primary, and wait until done. "
                + "Without --database or --cache, both where the environment has a standby.")
final class FailoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EnvironmentOptions scope;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String environment;

    @Option(names = "--database", description = "Fail the Aurora cluster over to a reader.")
    boolean database;

    @Option(names = "--cache", description = "Fail the Redis primary over to its replica.")
    boolean cache;

    @Option(names = "--to", paramLabel = "INSTANCE",
            description = "The reader (with --database) or cache node (with --cache) to promote.")
    String to;

    @Option(names = "--data", defaultValue = ".terrace", paramLabel = "DIR",
            description = "The data folder whose history records the failover (the daemon's, when it is stopped; "
                    + "while it runs, use POST /api/environments/ENV/failover).")
    Path data;

    @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for each failover (default: 30m).")
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant started = Instant.now();
        Failover.Request request;
        try {
            request = new Failover.Request(database, cache, Optional.ofNullable(to));
        } catch (Failover.Refused e) {
            err.println("terrace failover: " + e.getMessage());
            return TerraceCli.ERROR;
        }
        List<String> done;
        Optional<String> error = Optional.empty();
        try (AwsRegions regions = scope.open()) {
            Region region = scope.regionOf(regions, environment);
            done = new EnvironmentFailover(regions.clients(region), line -> {
                out.println("terrace failover: " + line);
                out.flush();
            }, timeout, Duration.ofSeconds(5)).failover(environment, request);
        } catch (Failover.Refused e) {
            err.println("terrace failover: " + e.getMessage());
            return TerraceCli.ERROR;
        } catch (RuntimeException e) {
            done = List.of();
            error = Optional.of(String.valueOf(e.getMessage()));
            err.println("terrace failover: " + e.getMessage());
        }
        record(started, done, error, err);
        return error.isEmpty() ? TerraceCli.OK : TerraceCli.ERROR;
    }

    /** Into the history of {@code --data}; a daemon holding it (H2 locks the file) leaves only a warning. */
    private void record(Instant started, List<String> done, Optional<String> error,
            PrintWriter err) {
        try {
            Files.createDirectories(data);
            try (HistoryStore history = HistoryStore.openEmbedded(data.resolve("history"), Clock.systemUTC())) {
                history.record(HistoryEntry.failover(environment, revision(), "cli", started,
                        Duration.between(started, Instant.now()), done, error, "cli"));
            }
        } catch (Exception e) {
            err.println("terrace failover: warning: not recorded in " + data.resolve("history") + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private String revision() {
        if (Files.isDirectory(scope.repo)) {
            return scope.snapshot().revisions().getOrDefault(environment, "");
        }
        return "";
    }

}
