package io.terrace.reconciler.cli;

import io.terrace.planner.InvalidObservedStateException;
import io.terrace.planner.JsonPlanRenderer;
import io.terrace.planner.MarkdownPlanRenderer;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.PlanRenderer;
import io.terrace.planner.Planner;
import io.terrace.planner.SavedPlan;
import io.terrace.planner.TextPlanRenderer;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code terrace plan}: load the specs, read live state, print the plan. Exit codes follow
 * {@code terraform plan -detailed-exitcode}: 0 no changes, 2 changes, 1 error (an invalid spec
 * or unreadable input).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Observe live state (or read it from a file) and print the plan.")
final class PlanCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    @Mixin
    EnvironmentOptions scope;

    @Option(names = "--observed", paramLabel = "FILE",
            description = "Observed state as JSON (as printed by `terrace observe`) instead of reading AWS; "
                    + "`-` reads standard input and a value starting with `{` is the document itself "
                    + "(`--observed '{}'` plans against an empty account).")
    String observed;

    @Option(names = "--format", defaultValue = "text", description = "text (default), markdown or json.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also save the plan for `terrace apply --plan FILE`: the JSON plan with each environment's "
                    + "spec revision and live-state fingerprint (see docs/pull-requests.md).")
    Path out;

    @Mixin
    RefRangeOptions refs = new RefRangeOptions();

    @Option(names = "--allow-destroy",
            description = "Plan deletion and replacement of data-bearing resources of environments that were "
                    + "not decommissioned (break-glass).")
    boolean allowDestroy;

    /** Whether progress is coloured; set by {@link TerraceCli#run}. */
    Terminal terminal = Terminal.NONE;

    /** The time the progress lines show. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        if (scope.repoMissing()) {
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = refs.snapshot(scope.repo);
        ObservedState live;
        try {
            live = refs.narrow(observe(snapshot));
        } catch (NoSuchFileException e) {
            scope.error(e.getFile() + ": no such file");
            return TerraceCli.ERROR;
        } catch (InvalidObservedStateException | UnsupportedOperationException e) {
            scope.error(e.getMessage());
            return TerraceCli.ERROR;
        }
        Set<String> wanted = scope.wanted();
        if (scope.unknown(wanted, snapshot.specs(), live)) {
            return TerraceCli.ERROR;
        }
        SpecSet specs = EnvironmentOptions.only(snapshot.specs(), wanted);
        if (!wanted.isEmpty()) {
            live = live.only(wanted);
        }
        // Maintenance windows are checked at the time of the plan, as apply and the daemon do.
        PlanOptions options = new PlanOptions(allowDestroy, java.util.Optional.of(java.time.Instant.now()));
        Plan plan = new Planner(options).plan(specs, snapshot.revisions(), live);
        scope.print(renderer(snapshot).render(plan));
        if (out != null) {
            SavedPlan.of(plan, live, options).write(out);
        }
        if (plan.hasErrors()) {
            return TerraceCli.ERROR;
        }
        return plan.hasChanges() ? TerraceCli.CHANGES : TerraceCli.OK;
    }

    /** Live state: the {@code --observed} document, or one batched sweep of AWS. */
    private ObservedState observe(SpecSnapshot snapshot) throws IOException {
        if (observed == null) {
            if (refs.touchesNothing()) {
                return ObservedState.EMPTY;
            }
            SpecSet specs = refs.observationSpecs(snapshot);
            java.util.Collection<String> only = refs.observe(scope.environments);
            try (var regions = scope.open(); var stats = scope.stats(regions);
                    Progress progress = Progress.start(scope.command.commandLine().getErr(), clock, terminal.colour())) {
                return progress.reading(EnvironmentOptions.reading(specs, only, regions),
                        () -> regions.observe(specs, only).state());
            }
        }
        if (observed.equals("-")) {
            return ObservedStateJson.read(new String(System.in.readAllBytes(), StandardCharsets.UTF_8), "<stdin>");
        }
        if (observed.stripLeading().startsWith("{")) {
            return ObservedStateJson.read(observed, "--observed");
        }
        return ObservedStateJson.read(Path.of(observed));
    }

    private PlanRenderer renderer(SpecSnapshot snapshot) {
        return switch (format) {
            case text -> new TextPlanRenderer();
            case markdown -> new MarkdownPlanRenderer(snapshot.commit());
            case json -> new JsonPlanRenderer();
        };
    }
}
