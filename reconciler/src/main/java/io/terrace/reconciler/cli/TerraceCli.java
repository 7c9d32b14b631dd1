package io.terrace.reconciler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code terrace} launcher: one subcommand per operation (BRIEF §3). */
@Command(
        name = "terrace",
        mixinStandardHelpOptions = true,
        version = "terrace 0.1.0",
        description = "GitOps reconciler for tiered web-hosting environments on AWS.",
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DriftCommand.class,
            StatusCommand.class,
            ObserveCommand.class,
            DaemonCommand.class,
            CommentCommand.class,
            RotateOriginSecretCommand.class,
            FailoverCommand.class,
        })
public final class TerraceCli implements Runnable {

    /** Exit codes shared by the commands (BRIEF §3). */
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES = 2;
    public static final int BLOCKED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new TerraceCli());
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("terrace: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ERROR;
        });
        return cli.execute(args);
    }
}
