package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedStateJson;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.git.SpecSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code terrace observe}: one batched sweep of live AWS state for the repository's environments
 * (and any environment with live resources but no spec file), written as the JSON document
 * {@code terrace plan --observed} reads.
 */
@Command(name = "observe", mixinStandardHelpOptions = true,
        description = "Read live AWS state and print it as JSON (the input of `terrace plan --observed`).")
final class ObserveCommand implements Callable<Integer> {

    enum Format { json }

    @Mixin
    EnvironmentOptions scope;

    @Option(names = "--format", defaultValue = "json", description = "json (the only format).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (scope.repoMissing()) {
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = scope.snapshot();
        try (AwsRegions regions = scope.open(); var stats = scope.stats(regions)) {
            AwsRegions.Observation observation = regions.observe(snapshot.specs(), scope.environments);
            scope.write(ObservedStateJson.write(observation.state()), out);
        }
        return TerraceCli.OK;
    }
}
