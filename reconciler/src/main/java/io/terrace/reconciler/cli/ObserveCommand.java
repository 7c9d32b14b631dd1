package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace observe}. */
@Command(name = "observe", mixinStandardHelpOptions = true,
        description = "Read live AWS state and print it as JSON.")
final class ObserveCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace observe: not implemented yet");
        return TerraceCli.ERROR;
    }
}
