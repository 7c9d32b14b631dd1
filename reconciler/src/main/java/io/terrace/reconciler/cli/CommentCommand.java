package io.terrace.reconciler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code terrace comment}. */
@Command(name = "comment", mixinStandardHelpOptions = true,
        description = "Post or update the sticky plan comment on a pull request.")
final class CommentCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("terrace comment: not implemented yet");
        return TerraceCli.ERROR;
    }
}
