package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace apply}. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply the plan for the selected environments.")
final class ApplyCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace apply: not implemented yet");
        return TerraceCli.ERROR;
    }
}
