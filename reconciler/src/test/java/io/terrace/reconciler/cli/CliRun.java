package io.terrace.reconciler.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the {@code terrace} command line as a user sees it: exit code, output, errors. */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        return run(Terminal.NONE, args);
    }

    /** A run on a terminal where a person types what {@code terminal} holds. */
    static CliRun run(Terminal terminal, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = TerraceCli.run(terminal, java.time.Clock.systemUTC(), args);
            // Line ends as on every platform's terminal: tests compare text.
            return new CliRun(exit, outBytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"),
                    errBytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A progress line on standard error: its timing varies from run to run. */
    private static final java.util.regex.Pattern PROGRESS = java.util.regex.Pattern.compile(".+: ("
            + "(Reading|Creating|Modifying|Replacing|Destroying)\\.\\.\\."
            + "|Still [a-z]+\\.\\.\\. \\[[0-9hms]+ elapsed\\]"
            + "|(Read|Creation|Modifications|Replacement|Destruction) (complete|failed) after [0-9hms]+)");

    /** This run without its progress lines, for comparing what it printed besides them. */
    CliRun withoutProgress() {
        String kept = err.lines().filter(l -> !PROGRESS.matcher(l).matches()).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
        return new CliRun(exit, out, kept);
    }

    /** Everything printed, for assertion messages. */
    String printed() {
        return out + err;
    }
}
