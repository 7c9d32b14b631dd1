package io.terrace.reconciler.http;

import io.terrace.reconciler.daemon.EnvironmentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard at {@code /}: one server-rendered HTML page, refreshed every few seconds, listing
 * every environment with its status and a button that asks for a pass of it (a plain form posting
 * to {@code /api/environments/{name}/sync}). No script and no build step; the API has the details.
 */
final class DashboardPage {

    private DashboardPage() {}

    static String render(List<EnvironmentStatus> statuses, Optional<String> commit, Optional<String> pause,
                         Optional<Instant> lastSync, String branch) {
        StringBuilder h = new StringBuilder(head("Terrace"));
        h.append("<p>Branch <code>").append(esc(branch)).append("</code> at <code>")
                .append(esc(commit.map(c -> c.substring(0, Math.min(12, c.length()))).orElse("(not fetched yet)")))
                .append("</code>; last sync ").append(esc(lastSync.map(Instant::toString).orElse("never")))
                .append(". <a href=\"/api/environments\">API</a> · <a href=\"/api/drift\">drift report</a> · "
                        + "<a href=\"/metrics\">metrics</a></p>\n")
                .append("<form method=\"post\" action=\"/api/refresh\"><button title=\"fetch the repository now\">"
                        + "refresh</button></form>\n");
        pause.ifPresent(p -> h.append("<div class=\"banner\">PAUSE: ").append(esc(p.isBlank() ? "(no reason given)" : p))
                .append(" — plans and drift reports go on; nothing is applied.</div>\n"));
        h.append("<table><thead><tr><th>environment</th><th>status</th><th>health</th><th>reason</th><th>tier</th><th>stage</th>"
                + "<th>revision</th><th>last applied</th><th>pending</th><th>drifted</th><th>last pass</th><th></th></tr></thead><tbody>\n");
        for (EnvironmentStatus s : statuses) {
            h.append("<tr><td><a href=\"/environments/").append(esc(s.name())).append("\">").append(esc(s.name()))
                    .append("</a></td><td><span class=\"s ").append(s.condition().id()).append("\">")
                    .append(s.condition().id()).append("</span></td><td>").append(healthBadge(s))
                    .append(esc(s.health().firstReason().map(r -> " " + r).orElse(""))).append("</td><td>")
                    .append(esc(s.reason()));
            for (var d : s.diagnostics()) {
                h.append("<br><code>").append(esc(d.toString())).append("</code>");
            }
            h.append("</td><td>").append(esc(s.tier().orElse(""))).append("</td><td>").append(esc(s.stage().orElse("")))
                    .append("</td><td><code>").append(esc(shortRev(s.revision()))).append("</code></td><td><code>")
                    .append(esc(s.lastAppliedRevision().map(DashboardPage::shortRev).orElse(""))).append("</code></td><td>")
                    .append(s.pending().stream().filter(p -> !p.isDnsValidation()).count()).append("</td><td>").append(s.drifted().size()).append("</td><td>")
                    .append(esc(s.lastReconciledAt().map(Instant::toString).orElse(""))).append("</td><td>")
                    .append(syncButton(s.name())).append("</td></tr>\n");
        }
        if (statuses.isEmpty()) {
            h.append("<tr><td colspan=\"12\">No environments yet.</td></tr>\n");
        }
        h.append("</tbody></table></body></html>\n");
        return h.toString();
    }

    /** Where the pages' stylesheet is served: a file of its own, as the Content-Security-Policy allows no inline style. */
    static final String STYLESHEET_PATH = "/terrace.css";

    /** The style every page shares. */
    static final String STYLESHEET = """
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4em .6em;border-bottom:1px solid #ddd}
            code{font-size:12px}.s{padding:.1em .5em;border-radius:.8em;color:#fff;font-weight:600}
            .synced{background:#2e7d32}.out-of-sync{background:#ef6c00}.drifted{background:#c62828}
            .paused{background:#6a1b9a}.failed{background:#b71c1c}.invalid{background:#455a64}.pending{background:#9e9e9e}
            .h-healthy{background:#2e7d32}.h-progressing{background:#1565c0}.h-degraded{background:#c62828}
            .h-missing{background:#ef6c00}.h-unknown{background:#9e9e9e}
            .banner{background:#f3e5f5;border:1px solid #6a1b9a;padding:.6em;margin:1em 0}
            form{margin:0}button{font:inherit;padding:.1em .6em}
            """;

    /** The page's head and title, with the stylesheet every page shares; refreshed every 5 s. */
    static String head(String title) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>%s</title>
                <link rel="stylesheet" href="%s">
                </head><body>
                <h1>%s</h1>
                """.formatted(esc(title), STYLESHEET_PATH, esc(title));
    }

    /** The environment's health as a coloured badge (classes {@code h-<health>}). */
    static String healthBadge(EnvironmentStatus s) {
        String id = s.health().health().id();
        return "<span class=\"s h-" + id + "\">" + id + "</span>";
    }

    /** A form posting to {@code /api/environments/{name}/sync}; the API sends the browser back here. */
    static String syncButton(String name) {
        return "<form method=\"post\" action=\"/api/environments/" + esc(name)
                + "/sync\"><button title=\"reconcile now, correcting drift\">sync</button></form>";
    }

    static String shortRev(String r) {
        return r.length() > 12 ? r.substring(0, 12) : r;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
