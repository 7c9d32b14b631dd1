package io.terrace.reconciler.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code terrace validate}: schema and cross-file checks, one compiler-style line per problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate environment specs against their tier's schema and the cross-file rules.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--repo", description = "Spec repository root (default: current directory).", defaultValue = ".")
    Path repo;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files to validate (default: every environment).")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("validate is not implemented yet");
    }
}
