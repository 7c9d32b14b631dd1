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
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    EnvironmentOptions scope;

    @Option(names = "--format", defaultValue = "text", description = "text (default), markdown or json.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (scope.repoMissing()) {
            return TerraceCli.ERROR;
        }
        SpecSnapshot snapshot = scope.snapshot();
        Set<String> wanted = scope.wanted();
        SpecSet specs = EnvironmentOptions.only(snapshot.specs(), wanted);
        List<SpecResult.Valid> valid = valid(specs);
        if (scope.unknown(wanted, specs)) {
            return TerraceCli.ERROR;
        }
        ObservedState live;
        try (AwsRegions regions = scope.open()) {
            live = regions.observe(new SpecSet(List.copyOf(valid), specs.pauseReason()),
                    valid.stream().map(SpecResult::name).toList()).state();
        }
        List<DriftReport> reports = detect(valid, snapshot, specs.pauseReason(), live);
        scope.write(render(reports), out);
        boolean invalid = valid.size() < specs.results().size();
        if (invalid) {
            return TerraceCli.ERROR;
        }
        return reports.stream().anyMatch(DriftReport::drifted) ? TerraceCli.CHANGES : TerraceCli.OK;
    }

    private static List<DriftReport> detect(List<SpecResult.Valid> valid, SpecSnapshot snapshot,
            Optional<String> pauseReason, ObservedState live) {
        DriftDetector detector = new DriftDetector(Clock.systemUTC());
        return valid.stream()
                .map(v -> detector.detect(v.spec(), snapshot.revisions().getOrDefault(v.name(), SpecSnapshot.UNKNOWN_REVISION),
                        pauseReason, live))
                .toList();
    }

    private String render(List<DriftReport> reports) {
        return switch (format) {
            case text -> text(reports);
            case markdown -> new DriftMarkdownRenderer().render(reports);
            case json -> new DriftJsonRenderer().render(reports);
        };
    }

    /** The valid specs; each invalid one's diagnostics go to standard error. */
    private List<SpecResult.Valid> valid(SpecSet specs) {
        List<SpecResult.Valid> valid = new ArrayList<>();
        for (SpecResult r : specs.results()) {
            if (r instanceof SpecResult.Valid v) {
                valid.add(v);
            } else if (r instanceof SpecResult.Invalid i) {
                i.diagnostics().forEach(d -> spec.commandLine().getErr().println(d));
            }
        }
        return valid;
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
}
