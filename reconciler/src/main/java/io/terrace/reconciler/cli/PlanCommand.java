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
import io.terrace.planner.TextPlanRenderer;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code terrace plan}: load the specs, read live state, print the plan. Exit codes follow
 * {@code terraform plan -detailed-exitcode}: 0 no changes, 2 changes, 1 error (an invalid spec
 * or unreadable input).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Observe live state (or read it from a file) and print the plan.")
final class PlanCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Spec repository root (default: current directory).")
    Path repo;

    @picocli.CommandLine.Mixin
    AwsOptions aws;

    @Option(names = "--observed", paramLabel = "FILE",
            description = "Observed state as JSON (as printed by `terrace observe`) instead of reading AWS; "
                    + "`-` reads standard input and a value starting with `{` is the document itself "
                    + "(`--observed '{}'` plans against an empty account).")
    String observed;

    @Option(names = "--env", paramLabel = "NAME", description = "Plan only these environments (repeatable).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "text (default), markdown or json.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the plan to FILE instead of standard output.")
    Path out;

    @Option(names = "--allow-destroy",
            description = "Plan deletion and replacement of data-bearing resources of environments that were "
                    + "not decommissioned (break-glass).")
    boolean allowDestroy;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(repo)) {
            err.println("terrace plan: " + repo + ": no such directory (--repo)");
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = SpecSnapshot.read(repo);
        ObservedState live;
        try {
            live = observe(snapshot);
        } catch (NoSuchFileException e) {
            err.println("terrace plan: " + e.getFile() + ": no such file");
            return TerraceCli.ERROR;
        } catch (InvalidObservedStateException e) {
            err.println("terrace plan: " + e.getMessage());
            return TerraceCli.ERROR;
        } catch (UnsupportedOperationException e) {
            err.println("terrace plan: " + e.getMessage());
            return TerraceCli.ERROR;
        }
        SpecSet specs = snapshot.specs();
        if (!environments.isEmpty()) {
            Set<String> wanted = new TreeSet<>(environments);
            Set<String> known = new TreeSet<>(live.environments());
            specs.results().forEach(r -> known.add(r.name()));
            for (String name : wanted) {
                if (!known.contains(name)) {
                    err.println("terrace plan: no environment named " + name
                            + " (no file environments/" + name + ".yaml and nothing live)");
                    return TerraceCli.ERROR;
                }
            }
            List<SpecResult> kept = specs.results().stream().filter(r -> wanted.contains(r.name())).toList();
            specs = new SpecSet(kept, specs.pauseReason());
            live = live.only(wanted);
        }
        Plan plan = new Planner(new PlanOptions(allowDestroy)).plan(specs, revisions(snapshot), live);
        write(renderer(snapshot).render(plan));
        if (plan.hasErrors()) {
            return TerraceCli.ERROR;
        }
        return plan.hasChanges() ? TerraceCli.CHANGES : TerraceCli.OK;
    }

    /**
     * The revision of each environment: the commit that last changed its file, or
     * {@code "unknown"} outside git ({@link SpecSnapshot}).
     */
    private static Map<String, String> revisions(SpecSnapshot snapshot) {
        return snapshot.revisions();
    }

    /** Live state: the {@code --observed} document, or one batched sweep of AWS. */
    private ObservedState observe(SpecSnapshot snapshot) throws IOException {
        if (observed == null) {
            try (var regions = aws.open()) {
                return regions.observe(snapshot.specs(), environments).state();
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

    private void write(String document) throws IOException {
        if (out == null) {
            PrintWriter w = spec.commandLine().getOut();
            w.print(document);
            w.flush();
        } else {
            Files.writeString(out, document, StandardCharsets.UTF_8);
        }
    }
}
