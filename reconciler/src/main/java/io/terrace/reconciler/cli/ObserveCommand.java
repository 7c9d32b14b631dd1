package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedStateJson;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.git.SpecSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    AwsOptions aws;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Spec repository root (default: current directory).")
    Path repo;

    @Option(names = "--env", paramLabel = "NAME", description = "Observe only these environments (repeatable).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--format", defaultValue = "json", description = "json (the only format).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    @Option(names = "--stats", description = "Print the number of AWS calls made, by operation, to standard error.")
    boolean stats;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(repo)) {
            err.println("terrace observe: " + repo + ": no such directory (--repo)");
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = SpecSnapshot.read(repo);
        try (AwsRegions regions = aws.open()) {
            AwsRegions.Observation observation = regions.observe(snapshot.specs(), environments);
            String json = ObservedStateJson.write(observation.state());
            if (out == null) {
                PrintWriter w = spec.commandLine().getOut();
                w.print(json);
                w.flush();
            } else {
                Files.writeString(out, json, StandardCharsets.UTF_8);
            }
            if (stats) {
                err.println("terrace observe: " + observation.regions().size() + " environment(s), "
                        + regions.counter().total() + " AWS call(s)");
                regions.counter().snapshot().forEach((op, n) -> err.println("  " + op + " " + n));
            }
        }
        return TerraceCli.OK;
    }
}
