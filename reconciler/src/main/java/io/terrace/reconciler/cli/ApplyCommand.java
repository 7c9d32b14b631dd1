package io.terrace.reconciler.cli;

import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.planner.TextPlanRenderer;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.aws.LeaseTable;
import io.terrace.reconciler.daemon.AccountLease;
import io.terrace.reconciler.daemon.ApplyLease;
import io.terrace.reconciler.daemon.DaemonConfig;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.ApplyResult.Outcome;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.Executor;
import io.terrace.reconciler.engine.Refusal;
import io.terrace.reconciler.engine.StepListener;
import io.terrace.reconciler.engine.StopSignal;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.reconciler.wiring.RegionalExecutor;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code terrace apply}: load the specs, observe, plan, print the plan, then apply each
 * environment on its own (a failure in one never stops the others) and print its outcome.
 * Without {@code --auto-approve} or {@code --plan}, a plan with changes is applied only when a
 * person answers {@code yes} on the terminal, and nothing runs without a terminal. Each step
 * prints its progress on standard error ({@link Progress}).
 * Exit 0 when everything applied, 1 on any error, invalid spec or cancelled approval, else 3 when something was
 * blocked or paused, or nothing was applied because a daemon holds the apply lease of a region
 * the plan changes ({@link AccountLease}).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Observe, plan and apply the selected environments, or a plan saved by terrace plan --out.")
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EnvironmentOptions scope;

    @Option(names = "--allow-destroy",
            description = "Allow deleting and replacing data-bearing resources of environments that were not "
                    + "decommissioned (break-glass).")
    boolean allowDestroy;

    @Mixin
    SavedPlanOption savedPlan = new SavedPlanOption();

    @Option(names = "--ignore-lock",
            description = "Apply even while a daemon holds the apply lease of the account and region (break-glass: "
                    + "the daemon may undo the change at its next pass).")
    boolean ignoreLock;

    @Option(names = "--auto-approve",
            description = "Apply without asking for approval (CI and scripts). Without it, apply shows the plan and "
                    + "asks on the terminal, and refuses to run when there is none.")
    boolean autoApprove;

    /** Where approval is asked and whether progress is coloured; set by {@link TerraceCli#run}. */
    Terminal terminal = Terminal.NONE;

    /** The time the progress lines show. */
    Clock clock = Clock.systemUTC();

    @Option(names = "--now",
            description = "Apply changes that wait for an environment's maintenance window too (a replacement, "
                    + "a new instance class or engine version), at once.")
    boolean now;

    @Option(names = "--data", defaultValue = ".terrace", paramLabel = "DIR",
            description = "With --now: the data folder whose history records the apply, as asked by cli "
                    + "(default: .terrace).")
    Path data;

    /** How long the CLI's lease outlives a renewal that stopped (a killed apply). */
    static final Duration LEASE_TTL = Duration.ofSeconds(60);

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (scope.repoMissing()) {
            return TerraceCli.ERROR;
        }
        try {
            savedPlan.load(scope.environments, allowDestroy);
        } catch (IllegalArgumentException e) {
            scope.error(e.getMessage());
            return TerraceCli.ERROR;
        }
        if (!autoApprove && !savedPlan.given() && !terminal.interactive()) {
            scope.error("no terminal to ask for approval: pass --auto-approve (or --plan FILE) to apply without asking");
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = scope.snapshot();
        Set<String> wanted = savedPlan.environments(scope.environments);
        if (savedPlan.given() && wanted.isEmpty()) {
            out.println("the saved plan covers no environment: nothing to apply");
            return TerraceCli.OK;
        }
        SpecSet specs = EnvironmentOptions.only(snapshot.specs(), wanted);
        try (AwsRegions regions = scope.open(); var stats = scope.stats(regions);
                Progress progress = Progress.start(spec.commandLine().getErr(), clock, terminal.colour())) {
            ObservedState observed = progress.reading(EnvironmentOptions.reading(specs, wanted, regions),
                    // Every spec, not only the wanted ones: a restore source is checked against its client's.
                    () -> regions.observe(snapshot.specs(), wanted).state());
            ObservedState live = wanted.isEmpty() ? observed : observed.only(wanted);
            if (scope.unknown(wanted, specs, live)) {
                return TerraceCli.ERROR;
            }
            Plan plan = new Planner(new PlanOptions(savedPlan.allowDestroy(allowDestroy),
                    now ? Optional.empty() : Optional.of(java.time.Instant.now())))
                    .plan(specs, snapshot.revisions(), live);
            if (savedPlan.refuse(plan, live, spec.commandLine().getErr())) {
                return TerraceCli.ERROR;
            }
            out.print(new TextPlanRenderer().render(plan));
            out.println();
            out.flush();
            if (!autoApprove && !savedPlan.given() && plan.hasChanges() && !approved(out)) {
                out.println("Apply cancelled.");
                out.flush();
                return TerraceCli.ERROR;
            }
            RegionalExecutor executor = new RegionalExecutor(regions);
            if (ignoreLock) {
                return exitCode(recorded(applyEach(plan, executor, progress, out)));
            }
            try (AccountLease lease = new AccountLease(r -> new LeaseTable(regions.clients(r).dynamoDb), claimant(),
                    LEASE_TTL, Clock.systemUTC()).unlogged()) {
                Optional<Integer> refused = lock(lease, leasedRegions(plan));
                if (refused.isPresent()) {
                    return refused.get();
                }
                lease.startRenewing();
                return exitCode(recorded(applyEach(plan, executor, progress, out)));
            }
        }
    }

    /** Asks as Terraform does; only {@code yes} approves. */
    private boolean approved(PrintWriter out) {
        String bold = terminal.colour() ? "\u001b[1m" : "";
        String reset = terminal.colour() ? "\u001b[0m" : "";
        out.println(bold + "Do you want to perform these actions?" + reset);
        out.println("  Terrace will perform the actions described above.");
        out.println("  Only 'yes' will be accepted to approve.");
        out.println();
        out.print(bold + "  Enter a value: " + reset);
        out.flush();
        Optional<String> answer = terminal.readLine();
        out.println();
        return answer.map(String::strip).filter("yes"::equals).isPresent();
    }

    /**
     * An apply with {@code --now} overrides the maintenance windows: it is recorded in the history
     * of {@code --data} with the trigger {@code now:cli}. A daemon holding that history (H2 locks
     * its file) leaves a warning instead.
     */
    private List<ApplyResult> recorded(List<ApplyResult> results) {
        if (!now) {
            return results;
        }
        try {
            Files.createDirectories(data);
            try (HistoryStore history = HistoryStore.openEmbedded(data.resolve("history"), Clock.systemUTC())) {
                for (ApplyResult r : results) {
                    history.record(new HistoryEntry(0, HistoryEntry.Kind.APPLY, r.environment(), r.revision(),
                            "now:cli", Instant.now().minus(r.duration()), r.duration(),
                            r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            r.steps().stream().map(s -> new HistoryEntry.Action(s.address(), s.action().id(),
                                    s.status().name().toLowerCase(java.util.Locale.ROOT))).toList(),
                            r.error(), "cli"));
                }
            }
        } catch (Exception e) {
            spec.commandLine().getErr().println("terrace apply: warning: --now not recorded in "
                    + data.resolve("history") + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return results;
    }

    /**
     * Takes the apply lease of every region the plan changes, as a daemon without {@code --cluster}
     * does; refuses (one line naming the holder) when another holds one, or it cannot be read.
     */
    private Optional<Integer> lock(AccountLease lease, Set<Region> wanted) {
        PrintWriter err = spec.commandLine().getErr();
        for (Region region : wanted) {
            ApplyLease.Standing standing = lease.standing(region);
            if (standing instanceof ApplyLease.Standing.Locked locked) {
                err.println("terrace apply: " + region.id() + " is " + locked.reason()
                        + ": nothing applied (--ignore-lock applies anyway)");
                return Optional.of(TerraceCli.BLOCKED);
            }
            if (standing instanceof ApplyLease.Standing.Unreadable unreadable) {
                err.println("terrace apply: " + unreadable.reason() + ": nothing applied (--ignore-lock applies anyway)");
                return Optional.of(TerraceCli.ERROR);
            }
        }
        return Optional.empty();
    }

    /**
     * The regions the plans that change something name. A plan that names none is refused by the
     * executor, and needs no lease.
     */
    private static Set<Region> leasedRegions(Plan plan) {
        Set<Region> out = new TreeSet<>(java.util.Comparator.comparing(Region::id));
        plan.environments().stream().filter(EnvironmentPlan::hasChanges)
                .forEach(e -> e.region().map(Region::of).ifPresent(out::add));
        return out;
    }

    /** This run as a lease holder: a daemon that finds the lease sees who applies and from where. */
    private LeaseTable.Claimant claimant() {
        String node = "terrace apply on " + DaemonConfig.defaults(".", scope.repo).nodeId();
        return new LeaseTable.Claimant(node + "/" + UUID.randomUUID(), node, scope.repo.toAbsolutePath().toString());
    }

    /** Applies each environment on its own, reporting each outcome as it comes. */
    private List<ApplyResult> applyEach(Plan plan, Executor executor, StepListener steps, PrintWriter out) {
        List<ApplyResult> results = new ArrayList<>();
        for (EnvironmentPlan env : plan.environments()) {
            ApplyResult result = apply(executor, env, steps);
            results.add(result);
            report(result, Refusal.of(env).map(Refusal::reason), out);
            if (!env.deferred().isEmpty() && !result.outcome().isFailure()) {
                out.println("  " + env.deferred().size() + " change(s) wait for the maintenance window (next: "
                        + env.windowOpens().map(Object::toString).orElse("?") + "); terrace apply --now applies them");
                out.flush();
            }
        }
        return results;
    }

    private ApplyResult apply(Executor executor, EnvironmentPlan env, StepListener steps) {
        try {
            return executor.apply(env, pauseFile(), steps);
        } catch (RuntimeException e) {
            // The executor reports AWS failures in its result; anything else still must not stop
            // the other environments.
            return new ApplyResult(env.name(), env.revision(), Outcome.FAILED, List.of(), java.time.Duration.ZERO,
                    Optional.of(String.valueOf(e.getMessage())));
        }
    }

    /** A PAUSE file committed (or created) while the apply runs stops it before the next wave. */
    private StopSignal pauseFile() {
        Path pause = scope.repo.resolve(SpecRepository.PAUSE_FILE);
        return () -> {
            if (!Files.exists(pause)) {
                return Optional.empty();
            }
            try {
                String first = Files.readAllLines(pause, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("PAUSE file present");
                return Optional.of(first);
            } catch (IOException e) {
                return Optional.of("PAUSE file present");
            }
        };
    }

    private static void report(ApplyResult r, Optional<String> refusal, PrintWriter out) {
        String seconds = String.format(java.util.Locale.ROOT, "%.1fs", r.duration().toMillis() / 1000.0);
        String line = switch (r.outcome()) {
            case APPLIED -> "applied " + r.steps().size() + " change(s) in " + seconds;
            case NO_CHANGES -> "no changes";
            case FAILED -> "failed: " + r.error().orElse("");
            case STOPPED -> r.error().orElse("stopped");
            case BLOCKED -> "blocked: " + refusal.orElse("");
            case PAUSED -> refusal.orElse("paused");
            case INVALID -> "invalid: " + refusal.orElse("");
        };
        out.println(r.environment() + ": " + line);
        for (ApplyResult.Step s : r.steps()) {
            if (s.status() == Status.FAILED) {
                out.println("  failed " + s.address() + ": " + s.message());
            } else if (s.status() == Status.SKIPPED) {
                out.println("  " + s.message().replaceFirst("^skipped: ", "skipped " + s.address() + ": "));
            }
        }
        out.flush();
    }

    static int exitCode(List<ApplyResult> results) {
        if (results.stream().anyMatch(r -> r.outcome().isFailure())) {
            return TerraceCli.ERROR;
        }
        if (results.stream().anyMatch(r -> r.outcome() == Outcome.BLOCKED || r.outcome() == Outcome.PAUSED
                || r.outcome() == Outcome.STOPPED)) {
            return TerraceCli.BLOCKED;
        }
        return TerraceCli.OK;
    }
}
