package io.terrace.reconciler.cli;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code terrace validate}: schema and cross-file checks, one compiler-style line per problem.
 * Like a compiler, diagnostics go to standard error; the one-line summary goes to standard output.
 * Exit 0 when every environment is valid, 1 otherwise.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate environment specs against their tier's schema and the cross-file rules.",
            "Problems are printed to standard error as FILE:LINE:COLUMN: MESSAGE, then a summary to "
                + "standard output. Exit status: 0 all valid, 1 otherwise."})
final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--repo", description = "Spec repository root (default: current directory).", defaultValue = ".")
    Path repo;

    @Parameters(arity = "0..*", paramLabel = "FILE",
            description = "Files to validate, relative to the current directory or to --repo "
                    + "(default: every environments/*.yaml). Cross-file rules still consider every environment.")
    List<Path> files = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!Files.isDirectory(repo)) {
                err.println("terrace validate: " + repo + " is not a directory");
                return TerraceCli.ERROR;
            }
            if (files.isEmpty() && !Files.isDirectory(repo.resolve(SpecRepository.ENVIRONMENTS_DIR))) {
                err.println("terrace validate: " + repo + " has no " + SpecRepository.ENVIRONMENTS_DIR + "/ directory");
                return TerraceCli.ERROR;
            }
            SpecSet set = files.isEmpty() ? SpecRepository.load(repo) : SpecRepository.load(repo, resolve(files));
            for (Diagnostic d : set.diagnostics()) {
                err.println(d);
            }
            out.println(summary(set));
            return set.valid() ? TerraceCli.OK : TerraceCli.ERROR;
        } finally {
            err.flush();
            out.flush();
        }
    }

    /** A FILE names a file relative to the current directory if it exists there, else relative to --repo. */
    private List<Path> resolve(List<Path> given) {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            out.add(Files.exists(p) ? p.toAbsolutePath() : repo.toAbsolutePath().resolve(p));
        }
        return out;
    }

    static String summary(SpecSet set) {
        int total = set.results().size();
        long invalid = set.results().stream().filter(r -> r instanceof SpecResult.Invalid).count();
        String noun = total == 1 ? "environment" : "environments";
        String line = invalid == 0 ? total + " " + noun + " valid" : invalid + " of " + total + " " + noun + " invalid";
        return set.pauseReason().map(r -> line + " (repository paused: " + r + ")").orElse(line);
    }
}
