package io.terrace.planner;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a plan as a pull-request comment (BRIEF §6): the hidden marker that lets the comment be
 * updated in place, the head commit, a summary table with one row per environment, validation
 * errors with file:line, and each environment's diff in a collapsible {@code <details>} block.
 *
 * <p>GitHub refuses comments of 65,536 characters or more. When the comment would be that long,
 * details are cut from the last environment backwards, and a note says how many were cut; the
 * summary rows stay. (Only if the rows alone would not fit are rows of unchanged environments,
 * and then further rows, replaced by a count.)
 */
public final class MarkdownPlanRenderer implements PlanRenderer {

    /** First line of every plan comment; {@code terrace comment} finds its comment by it. */
    public static final String MARKER = "<!-- terrace:plan -->";
    /** Comments must be shorter than this. */
    public static final int MAX_LENGTH = 65_536;
    private static final int MAX_ERROR_LINES = 200;
    private static final String FOOT =
            "<sub>Posted by Terrace. Merging applies this plan; blocked changes are never applied.</sub>\n";

    private final String headCommit;
    private final int maxLength;

    /** @param headCommit the commit the plan was computed at, shown in the comment */
    public MarkdownPlanRenderer(String headCommit) {
        this(headCommit, MAX_LENGTH);
    }

    /** With a smaller limit, for tests. */
    MarkdownPlanRenderer(String headCommit, int maxLength) {
        this.headCommit = headCommit;
        this.maxLength = maxLength;
    }

    @Override
    public String render(Plan plan) {
        List<EnvironmentPlan> withDetails = plan.environments().stream()
                .filter(e -> !e.invalid() && (e.hasChanges() || e.paused())).toList();
        String foot = FOOT;
        String head = head(plan, rows(plan.environments(), false));
        if (head.length() + foot.length() >= maxLength) {
            head = head(plan, rows(plan.environments(), true));
        }
        StringBuilder out = new StringBuilder(head);
        int cut = 0;
        for (int i = 0; i < withDetails.size(); i++) {
            String d = details(withDetails.get(i));
            // Keep room for the longest possible note, so a cut never pushes the comment over.
            if (cut == 0 && out.length() + d.length() + cutNote(withDetails.size()).length()
                    + foot.length() < maxLength) {
                out.append(d);
            } else {
                cut++;
            }
        }
        if (cut > 0) {
            out.append(cutNote(cut));
        }
        out.append(foot);
        if (out.length() >= maxLength) {
            out.setLength(maxLength - 1);
        }
        return out.toString();
    }

    private String head(Plan plan, List<String> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(MARKER).append('\n');
        sb.append("### Terrace plan\n\n");
        sb.append("Head commit: `").append(headCommit).append("`\n\n");
        Plan.Summary s = plan.summary();
        sb.append("**Plan: ").append(s.create()).append(" to create, ").append(s.update()).append(" to update, ")
                .append(s.replace()).append(" to replace, ").append(s.delete()).append(" to delete.**");
        if (s.blocked() > 0) {
            sb.append(" ⛔ ").append(s.blocked()).append(" blocked.");
        }
        if (s.invalid() > 0) {
            sb.append(" ❌ ").append(s.invalid()).append(" invalid.");
        }
        sb.append("\n\n");
        sb.append("| environment | tier | stage | create | update | replace | delete | blocked | destructive | paused |\n");
        sb.append("|---|---|---|--:|--:|--:|--:|--:|--:|---|\n");
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n');
        errors(plan, sb);
        return sb.toString();
    }

    private List<String> rows(List<EnvironmentPlan> envs, boolean compact) {
        List<String> rows = new ArrayList<>();
        int unchanged = 0;
        for (EnvironmentPlan e : envs) {
            if (compact && !e.hasChanges() && !e.invalid() && !e.paused()) {
                unchanged++;
                continue;
            }
            rows.add(row(e));
        }
        if (compact) {
            int budget = Math.max(0, (maxLength / 2) / 120);
            if (rows.size() > budget) {
                int more = rows.size() - budget;
                rows = new ArrayList<>(rows.subList(0, budget));
                rows.add("| … " + more + " more environments with changes | | | | | | | | | |");
            }
            if (unchanged > 0) {
                rows.add("| … " + unchanged + " environments without changes | | | | | | | | | |");
            }
        }
        return rows;
    }

    private static String row(EnvironmentPlan e) {
        int[] n = new int[4];
        int blocked = 0;
        int destructive = 0;
        for (Change c : e.actions()) {
            switch (c.action()) {
                case CREATE -> n[0]++;
                case UPDATE -> n[1]++;
                case REPLACE -> n[2]++;
                case DELETE -> n[3]++;
                default -> { }
            }
            blocked += c.blocked() && !c.deferred() ? 1 : 0;
            destructive += c.destructive() ? 1 : 0;
        }
        String name = "`" + e.name() + "`" + (e.invalid() ? " ❌ invalid" : e.tier().isEmpty() ? " (file deleted)" : "");
        return "| " + name + " | " + e.tier().map(Tier::id).orElse("—") + " | " + e.stage().map(Stage::id).orElse("—")
                + " | " + n[0] + " | " + n[1] + " | " + n[2] + " | " + n[3]
                + " | " + (blocked > 0 ? "⛔ " + blocked : "0")
                + " | " + (destructive > 0 ? "⚠️ " + destructive : "0")
                + " | " + e.pausedReason().map(MarkdownPlanRenderer::cell).orElse("") + " |";
    }

    private static void errors(Plan plan, StringBuilder sb) {
        List<Diagnostic> all = plan.environments().stream().flatMap(e -> e.diagnostics().stream()).toList();
        if (all.isEmpty()) {
            return;
        }
        sb.append("#### Validation errors\n\n");
        for (int i = 0; i < all.size() && i < MAX_ERROR_LINES; i++) {
            sb.append("- `").append(all.get(i).toString().replace("`", "'")).append("`\n");
        }
        if (all.size() > MAX_ERROR_LINES) {
            sb.append("- … and ").append(all.size() - MAX_ERROR_LINES).append(" more\n");
        }
        sb.append('\n');
    }

    private static String details(EnvironmentPlan e) {
        StringBuilder body = new StringBuilder();
        TextPlanRenderer.body(e, "", body);
        String fence = fenceFor(body);
        StringBuilder sb = new StringBuilder();
        sb.append("<details><summary><code>").append(e.name()).append("</code>: ").append(counts(e))
                .append("</summary>\n\n");
        sb.append(fence).append("diff\n").append(body).append(fence).append("\n\n</details>\n\n");
        return sb.toString();
    }

    private static String counts(EnvironmentPlan e) {
        long[] n = new long[4];
        for (Change c : e.actions()) {
            n[c.action().ordinal()]++;
        }
        String s = n[0] + " to create, " + n[1] + " to update, " + n[2] + " to replace, " + n[3] + " to delete";
        long blocked = e.blocked().size();
        long deferred = e.deferred().size();
        String out = blocked > 0 ? s + ", " + blocked + " blocked" : s;
        return deferred > 0 ? out + ", " + deferred + " waiting for the maintenance window" : out;
    }

    private static String fenceFor(CharSequence body) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String cutNote(int cut) {
        return "> **Note:** the details of " + cut + (cut == 1 ? " environment were" : " environments were")
                + " cut to keep this comment under 65,536 characters. Run `terrace plan` for the full plan.\n\n";
    }


    private static String cell(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
    }
}
