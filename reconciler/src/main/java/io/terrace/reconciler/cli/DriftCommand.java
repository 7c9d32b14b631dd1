package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace drift}. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Report drift between the specs and live state.")
final class DriftCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace drift: not implemented yet");
        return TerraceCli.ERROR;
    }
}
