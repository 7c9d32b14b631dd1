package io.terrace.reconciler.cli;

import java.time.Clock;
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
        return run(Terminal.system(), Clock.systemUTC(), args);
    }

    /** Runs a command line with this terminal (approval prompt, colour) and clock (progress). */
    static int run(Terminal terminal, Clock clock, String... args) {
        return run(terminal, clock, null, null, args);
    }

    /** Runs a command line printing to {@code out} and {@code err} (the process's streams when null). */
    static int run(Terminal terminal, Clock clock, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TerraceCli());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        ApplyCommand apply = cli.getSubcommands().get("apply").getCommand();
        apply.terminal = terminal;
        apply.clock = clock;
        PlanCommand plan = cli.getSubcommands().get("plan").getCommand();
        plan.terminal = terminal;
        plan.clock = clock;
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("terrace: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ERROR;
        });
        return cli.execute(args);
    }
}
