package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace daemon}. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the continuous reconciler.")
final class DaemonCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace daemon: not implemented yet");
        return TerraceCli.ERROR;
    }
}
