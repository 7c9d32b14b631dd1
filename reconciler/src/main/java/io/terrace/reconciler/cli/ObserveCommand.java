package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedStateJson;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.git.SpecSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code terrace observe}: one batched sweep of live AWS state for the repository's environments
 * (and any environment with live resources but no spec file), written as the JSON document
 * {@code terrace plan --observed} reads.
 */
@Command(name = "observe", mixinStandardHelpOptions = true,
        description = "Read live AWS state and print it as JSON (the input of `terrace plan --observed`).")
final class ObserveCommand implements Callable<Integer> {

    enum Format { json }

    @Spec
    CommandSpec spec;

    @Mixin
    EnvironmentOptions scope;

    @Option(names = "--format", defaultValue = "json", description = "json (the only format).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    @Option(names = "--stats", description = "Print the number of AWS calls made, by operation, to standard error.")
    boolean stats;

    @Override
    public Integer call() throws IOException {
        if (scope.repoMissing()) {
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = scope.snapshot();
        try (AwsRegions regions = scope.open()) {
            AwsRegions.Observation observation = regions.observe(snapshot.specs(), scope.environments);
            scope.write(ObservedStateJson.write(observation.state()), out);
            if (stats) {
                printStats(observation, regions.counter());
            }
        }
        return TerraceCli.OK;
    }

    private void printStats(AwsRegions.Observation observation, AwsCallCounter counter) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("terrace observe: " + observation.regions().size() + " environment(s), "
                + counter.total() + " AWS call(s)");
        counter.snapshot().forEach((op, n) -> err.println("  " + op + " " + n));
    }
}
