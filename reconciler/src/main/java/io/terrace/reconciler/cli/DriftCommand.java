package io.terrace.reconciler.cli;

import io.terrace.drift.DriftDetector;
import io.terrace.drift.DriftJsonRenderer;
import io.terrace.drift.DriftMarkdownRenderer;
import io.terrace.drift.DriftReport;
import io.terrace.planner.AttributeValues;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsRegions;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code terrace drift}: observe live state and report, per environment, whether it drifted from
 * the spec it was last applied at. Reports only: corrections are {@code terrace apply}'s (and the
 * daemon's). Exit 0 when nothing drifted, 2 when something did, 1 on an error or invalid spec.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Report drift between the specs and live state.")
final class DriftCommand implements Callable<Integer> {

    enum Format { text, markdown, json }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "Spec repository root (default: current directory).")
    Path repo;

    @Option(names = "--env", paramLabel = "NAME", description = "Check only these environments (repeatable).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "text (default), markdown or json.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(repo)) {
            err.println("terrace drift: " + repo + ": no such directory (--repo)");
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = SpecSnapshot.read(repo);
        SpecSet specs = snapshot.specs();
        Set<String> wanted = new TreeSet<>(environments);
        boolean invalid = false;
        List<SpecResult.Valid> valid = new ArrayList<>();
        for (SpecResult r : specs.results()) {
            if (!wanted.isEmpty() && !wanted.contains(r.name())) {
                continue;
            }
            if (r instanceof SpecResult.Valid v) {
                valid.add(v);
            } else if (r instanceof SpecResult.Invalid i) {
                i.diagnostics().forEach(d -> err.println(d));
                invalid = true;
            }
        }
        for (String name : wanted) {
            if (specs.find(name).isEmpty()) {
                err.println("terrace drift: no environment named " + name + " (no file environments/" + name + ".yaml)");
                return TerraceCli.ERROR;
            }
        }
        ObservedState live;
        try (AwsRegions regions = aws.open()) {
            live = regions.observe(new SpecSet(List.copyOf(valid), specs.pauseReason()),
                    valid.stream().map(SpecResult::name).toList()).state();
        }
        DriftDetector detector = new DriftDetector(Clock.systemUTC());
        List<DriftReport> reports = valid.stream()
                .map(v -> detector.detect(v.spec(), snapshot.revisions().getOrDefault(v.name(), SpecSnapshot.UNKNOWN_REVISION),
                        specs.pauseReason(), live))
                .toList();
        write(switch (format) {
            case text -> text(reports);
            case markdown -> new DriftMarkdownRenderer().render(reports);
            case json -> new DriftJsonRenderer().render(reports);
        });
        if (invalid) {
            return TerraceCli.ERROR;
        }
        return reports.stream().anyMatch(DriftReport::drifted) ? TerraceCli.CHANGES : TerraceCli.OK;
    }

    /** One line per environment, then each drifted resource as {@code path: live -> desired}. */
    static String text(List<DriftReport> reports) {
        StringBuilder sb = new StringBuilder();
        for (DriftReport r : reports) {
            sb.append(r.environment()).append(": ");
            switch (r.status()) {
                case IN_SYNC -> sb.append("in sync at ").append(r.revision());
                case DRIFTED -> sb.append("drifted, ").append(r.resources().size()).append(" resource(s)")
                        .append(r.correct() ? " (will be corrected)" : r.pausedReason().isPresent()
                                ? " (paused: " + r.pausedReason().get() + ")" : " (policy: report only)");
                case PENDING -> sb.append("pending changes (applied at ")
                        .append(r.appliedRevision().orElse("nothing yet")).append(", spec at ").append(r.revision())
                        .append("): not drift");
            }
            sb.append('\n');
            for (DriftReport.DriftedResource d : r.resources()) {
                sb.append("  ").append(d.kind().id()).append(' ').append(d.address()).append('\n');
                d.attributes().forEach(a -> sb.append("      ").append(a.path()).append(": ")
                        .append(AttributeValues.display(a.before())).append(" -> ")
                        .append(AttributeValues.display(a.after())).append('\n'));
            }
        }
        return sb.toString();
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
