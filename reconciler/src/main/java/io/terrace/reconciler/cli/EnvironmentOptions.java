package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsCallCounter;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * The options and first steps every command that reads specs and live AWS state shares
 * ({@code plan}, {@code apply}, {@code drift}, {@code observe}): which repository ({@code --repo}),
 * which environments ({@code --env}) and how to reach AWS ({@code --endpoint-url},
 * {@code --region}). Credentials always come from the SDK's default chain (environment, profile,
 * instance role) and are never printed.
 */
final class EnvironmentOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Spec repository root (default: current directory).")
    Path repo;

    @Option(names = "--env", paramLabel = "NAME", description = "Only these environments (repeatable).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (an emulator, a VPC endpoint). "
                    + "AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured too.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Use this region for every environment (default: each spec's own region; "
                    + "environments without a spec file are looked for in the specs' regions and the SDK's "
                    + "default region, and applied where they are found).")
    String region;

    @Option(names = "--stats",
            description = "Print the AWS calls made and their time on the wire, by operation, to standard error.")
    boolean stats;

    /** What {@link #stats(AwsRegions)} returns: closing it prints, and throws nothing. */
    interface Stats extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Prints, when closed, the AWS calls made through {@code regions} and their time on the wire,
     * by operation ({@code --stats}); nothing without the option.
     */
    Stats stats(AwsRegions regions) {
        return () -> {
            if (!stats) {
                return;
            }
            AwsCallCounter counter = regions.counter();
            PrintWriter err = command.commandLine().getErr();
            err.println("terrace " + command.name() + ": " + counter.total() + " AWS call(s)");
            Map<String, Double> seconds = counter.secondsByOperation();
            counter.snapshot().forEach((op, n) -> err.printf("  %s %d (%.0f ms)%n", op, n,
                    1000 * seconds.getOrDefault(op, 0.0)));
            err.flush();
        };
    }

    /** Says so on standard error when {@code --repo} is not a directory. */
    boolean repoMissing() {
        if (Files.isDirectory(repo)) {
            return false;
        }
        error(repo + ": no such directory (--repo)");
        return true;
    }

    /** The specs as they are on disk, with each environment's revision. */
    SpecSnapshot snapshot() {
        return SpecSnapshot.read(repo);
    }

    /** The {@code --env} names, sorted; empty means every environment. */
    Set<String> wanted() {
        return new TreeSet<>(environments);
    }

    /** Clients, observers and executors per region, built on first use. */
    AwsRegions open() {
        return new AwsRegions(Optional.ofNullable(endpoint), Optional.ofNullable(region).map(Region::of),
                new AwsCallCounter());
    }

    /** The specs of the wanted environments only; all of them when none is named. */
    static SpecSet only(SpecSet specs, Collection<String> wanted) {
        if (wanted.isEmpty()) {
            return specs;
        }
        List<SpecResult> kept = specs.results().stream().filter(r -> wanted.contains(r.name())).toList();
        return new SpecSet(kept, specs.pauseReason());
    }

    /** What an observe of these specs reads, for progress: {@code live state of 3 environments in eu-west-1}. */
    static String reading(SpecSet specs, Collection<String> wanted, AwsRegions regions) {
        Set<String> names = new TreeSet<>();
        Set<String> inRegions = new TreeSet<>();
        for (SpecResult r : specs.results()) {
            if (r instanceof SpecResult.Valid v && (wanted.isEmpty() || wanted.contains(v.name()))) {
                names.add(v.name());
                inRegions.add(regions.regionOf(v.spec()).id());
            }
        }
        String which = names.size() <= 3 && !names.isEmpty() ? String.join(", ", names)
                : names.size() + " environments";
        return "live state of " + which + (inRegions.isEmpty() ? "" : " in " + String.join(", ", inRegions));
    }

    /**
     * Says so on standard error when a wanted environment has neither a spec file nor live
     * resources, which is a typo rather than an environment to delete.
     */
    boolean unknown(Collection<String> wanted, SpecSet specs, ObservedState live) {
        for (String name : wanted) {
            if (specs.find(name).isEmpty() && live.environment(name).isEmpty()) {
                error("no environment named " + name + " (no file environments/" + name + ".yaml and nothing live)");
                return true;
            }
        }
        return false;
    }

    /** Like {@link #unknown(Collection, SpecSet, ObservedState)}, for commands that need a spec file. */
    boolean unknown(Collection<String> wanted, SpecSet specs) {
        for (String name : wanted) {
            if (specs.find(name).isEmpty()) {
                error("no environment named " + name + " (no file environments/" + name + ".yaml)");
                return true;
            }
        }
        return false;
    }

    /** Prints the command's document on standard output. */
    void print(String document) {
        PrintWriter w = command.commandLine().getOut();
        w.print(document);
        w.flush();
    }

    /** Writes the command's document to {@code file}, or to standard output when there is none ({@code --out}). */
    void write(String document, Path file) throws IOException {
        if (file == null) {
            print(document);
        } else {
            Files.writeString(file, document, StandardCharsets.UTF_8);
        }
    }

    /** One line on standard error, prefixed with the command: {@code terrace plan: ...}. */
    void error(String message) {
        command.commandLine().getErr().println("terrace " + command.name() + ": " + message);
    }

    /** The region of one environment: {@code --region}, else its spec's, else the SDK's default. */
    Region regionOf(AwsRegions regions, String environment) {
        if (region != null) {
            return Region.of(region);
        }
        if (Files.isDirectory(repo) && snapshot().specs().find(environment).orElse(null) instanceof SpecResult.Valid v) {
            return regions.regionOf(v.spec());
        }
        return regions.defaultRegion().orElseThrow(() -> new IllegalStateException(
                "no region known for " + environment + ": pass --region"));
    }
}
