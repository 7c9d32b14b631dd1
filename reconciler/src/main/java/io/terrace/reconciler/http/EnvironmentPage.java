package io.terrace.reconciler.http;

import static io.terrace.reconciler.http.DashboardPage.esc;
import static io.terrace.reconciler.http.DashboardPage.shortRev;

import io.terrace.drift.DriftReport;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeValues;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.schema.Diagnostic;
import java.time.Instant;
import java.util.List;

/**
 * One environment at {@code /environments/{name}}: what {@code /api/environments/{name}} says, for a
 * browser: its status and why, validation errors, the changes planned and not applied, what
 * drifted (live value and spec value), and the newest passes.
 */
final class EnvironmentPage {

    private EnvironmentPage() {}

    static String render(EnvironmentStatus s, List<HistoryEntry> history) {
        StringBuilder h = new StringBuilder(DashboardPage.head(s.name()));
        h.append("<p><a href=\"/\">all environments</a> · <a href=\"/api/environments/").append(esc(s.name()))
                .append("\">JSON</a></p>\n");
        h.append("<p><span class=\"s ").append(s.condition().id()).append("\">").append(s.condition().id())
                .append("</span> ").append(esc(s.reason())).append("</p>\n");
        h.append("<p>health ").append(DashboardPage.healthBadge(s)).append("</p>\n");
        if (!s.health().reasons().isEmpty()) {
            h.append("<ul>\n");
            s.health().reasons().forEach(r -> h.append("<li>").append(esc(r)).append("</li>\n"));
            h.append("</ul>\n");
        }
        h.append("<p>").append(esc(s.tier().orElse("?"))).append(", ").append(esc(s.stage().orElse("?")))
                .append("; drift: ").append(esc(s.driftMode().orElse("?")))
                .append("; spec revision <code>").append(esc(shortRev(s.revision()))).append("</code>")
                .append("; last applied <code>").append(esc(s.lastAppliedRevision().map(DashboardPage::shortRev).orElse("never")))
                .append("</code>").append(s.nextAttemptAt().map(t -> "; next attempt " + esc(t.toString())).orElse(""))
                .append("</p>\n").append(DashboardPage.syncButton(s.name())).append('\n');
        if (!s.diagnostics().isEmpty()) {
            h.append("<h2>Validation errors</h2>\n<ul>\n");
            for (Diagnostic d : s.diagnostics()) {
                h.append("<li><code>").append(esc(d.toString())).append("</code></li>\n");
            }
            h.append("</ul>\n");
        }
        List<EnvironmentStatus.Pending> changes = s.pending().stream().filter(p -> !p.isDnsValidation()).toList();
        List<EnvironmentStatus.Pending> records = s.pending().stream().filter(EnvironmentStatus.Pending::isDnsValidation).toList();
        if (!records.isEmpty()) {
            h.append("<h2>DNS records to publish</h2>\n<p>Certificates wait for these records before ACM issues them."
                    + "</p>\n<table><thead><tr><th>certificate</th><th>record (name type value)</th></tr></thead><tbody>\n");
            for (EnvironmentStatus.Pending p : records) {
                h.append("<tr><td><code>").append(esc(p.address())).append("</code></td><td><code>")
                        .append(esc(p.blockedReason().orElse(""))).append("</code></td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        if (!changes.isEmpty()) {
            h.append("<h2>Planned, not applied</h2>\n<table><thead><tr><th>resource</th><th>action</th><th>blocked</th>"
                    + "</tr></thead><tbody>\n");
            for (EnvironmentStatus.Pending p : changes) {
                h.append("<tr><td><code>").append(esc(p.address())).append("</code></td><td>").append(esc(p.action()))
                        .append("</td><td>").append(esc(p.blockedReason().orElse(""))).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        if (!s.drifted().isEmpty()) {
            h.append("<h2>Drifted</h2>\n<table><thead><tr><th>resource</th><th>attribute</th><th>live</th><th>spec</th>"
                    + "</tr></thead><tbody>\n");
            for (DriftReport.DriftedResource d : s.drifted()) {
                for (AttributeChange a : d.attributes()) {
                    h.append("<tr><td><code>").append(esc(d.address())).append("</code></td><td><code>")
                            .append(esc(a.path())).append("</code></td><td><code>")
                            .append(esc(AttributeValues.display(a.before()))).append("</code></td><td><code>")
                            .append(esc(AttributeValues.display(a.after()))).append("</code></td></tr>\n");
                }
            }
            h.append("</tbody></table>\n");
        }
        h.append("<h2>Newest passes</h2>\n<table><thead><tr><th>started</th><th>kind</th><th>trigger</th>"
                + "<th>revision</th><th>outcome</th><th>create</th><th>update</th><th>replace</th><th>delete</th>"
                + "<th>took</th><th>node</th></tr></thead><tbody>\n");
        for (HistoryEntry e : history) {
            h.append("<tr><td>").append(esc(e.startedAt().toString())).append("</td><td>")
                    .append(e.kind().name().toLowerCase(java.util.Locale.ROOT)).append("</td><td>").append(esc(e.trigger()))
                    .append("</td><td><code>").append(esc(shortRev(e.revision()))).append("</code></td><td>")
                    .append(esc(e.outcome())).append(e.error().map(x -> "<br><code>" + esc(x) + "</code>").orElse(""))
                    .append("</td><td>").append(e.count("create")).append("</td><td>").append(e.count("update"))
                    .append("</td><td>").append(e.count("replace")).append("</td><td>").append(e.count("delete"))
                    .append("</td><td>").append(e.duration().toMillis()).append(" ms</td><td>").append(esc(e.nodeId()))
                    .append("</td></tr>\n");
        }
        if (history.isEmpty()) {
            h.append("<tr><td colspan=\"11\">No pass recorded yet.</td></tr>\n");
        }
        h.append("</tbody></table>\n<p>").append(esc(s.lastReconciledAt().map(Instant::toString)
                .map(t -> "Last pass " + t + ".").orElse(""))).append("</p></body></html>\n");
        return h.toString();
    }
}
