package io.terrace.drift;

import io.terrace.drift.DriftReport.DriftedResource;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeValues;
import io.terrace.planner.ResourceDiff;
import java.util.List;

/**
 * Drift reports as Markdown, for {@code <data>/reports/*.md} and people: a table of every
 * environment checked, then, per drifted environment, each resource with its attributes as
 * {@code path: live -> desired}.
 */
public final class DriftMarkdownRenderer {

    private static final String TERRACE_TAGS = ResourceDiff.TAG_PREFIX + "terrace:";

    public String render(List<DriftReport> reports) {
        StringBuilder sb = new StringBuilder("# Terrace drift report\n\n");
        long drifted = reports.stream().filter(DriftReport::drifted).count();
        String checked = reports.stream().map(r -> r.checkedAt().toString()).max(String::compareTo).orElse("—");
        sb.append(drifted).append(" of ").append(reports.size()).append(reports.size() == 1 ? " environment" : " environments")
                .append(" drifted. Checked at ").append(checked).append(".\n\n");
        sb.append("| environment | status | revision | applied revision | policy | drifted resources | paused |\n");
        sb.append("|---|---|---|---|---|--:|---|\n");
        for (DriftReport r : reports) {
            sb.append("| `").append(r.environment()).append("` | ").append(status(r)).append(" | `").append(r.revision())
                    .append("` | ").append(r.appliedRevision().map(a -> "`" + a + "`").orElse("never applied"))
                    .append(" | ").append(r.policy().id()).append(" | ").append(r.resources().size())
                    .append(" | ").append(r.pausedReason().map(DriftMarkdownRenderer::cell).orElse("")).append(" |\n");
        }
        for (DriftReport r : reports) {
            if (r.drifted()) {
                sb.append('\n');
                details(r, sb);
            }
        }
        return sb.toString();
    }

    private static String status(DriftReport r) {
        return switch (r.status()) {
            case IN_SYNC -> "in sync";
            case DRIFTED -> "⚠️ drifted";
            case PENDING -> "pending changes";
        };
    }

    private static void details(DriftReport r, StringBuilder sb) {
        sb.append("## ").append(r.environment()).append("\n\n");
        String action = r.pausedReason().map(p -> "Not corrected: " + p + ".")
                .orElse(r.correct() ? "Terrace corrects this drift (policy: correct)."
                        : "Reported only (policy: report); Terrace does not correct it.");
        sb.append(action).append("\n\n```diff\n");
        for (DriftedResource d : r.resources()) {
            String symbol = switch (d.kind()) {
                case MISSING -> "+";
                case CHANGED -> "~";
                case UNEXPECTED -> "-";
            };
            sb.append(symbol).append(' ').append(d.address()).append(" (").append(d.type().id()).append(") ")
                    .append(d.kind().id()).append('\n');
            for (AttributeChange a : d.attributes()) {
                if (d.kind() == DriftReport.Kind.MISSING && a.path().startsWith(TERRACE_TAGS)) {
                    continue;
                }
                sb.append("    ").append(a.path()).append(": ").append(AttributeValues.display(a.before()))
                        .append(" -> ").append(AttributeValues.display(a.after())).append('\n');
            }
        }
        sb.append("```\n");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
    }
}
