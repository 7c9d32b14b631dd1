package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace plan}. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Observe live state (or read it from a file) and print the plan.")
final class PlanCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace plan: not implemented yet");
        return TerraceCli.ERROR;
    }
}
