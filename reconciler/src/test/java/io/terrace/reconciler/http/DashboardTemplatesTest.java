package io.terrace.reconciler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.http.view.EnvironmentView;
import io.terrace.reconciler.http.view.FleetView;
import io.terrace.reconciler.http.view.Moment;
import io.terrace.reconciler.http.view.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The precompiled templates on hand-made views: escaping, the parts each page shows, disabled actions. */
class DashboardTemplatesTest {

    private static final Page PAGE = new Page("acme", "main", "abc123def456", Optional.empty(),
            Optional.of("freeze <b>now</b> (commit abc123d)"), Optional.empty());

    private static EnvironmentView environment(List<EnvironmentView.SpecLine> spec) {
        return new EnvironmentView(PAGE, "acme", "paused", "paused: <script>alert(1)</script>", "healthy", List.of(),
                "standard", "staging", "acme", "eu-west-1", "correct", "abc1234", "abc1234", Optional.empty(),
                Optional.empty(), Optional.of("applying: wave 2, 5 change(s) in all (3 s)"),
                List.of(new EnvironmentView.Action("sync", "Sync", "/api/environments/acme/sync", "Sync?",
                        Optional.of("paused: freeze")),
                        new EnvironmentView.Action("refresh", "Refresh", "/api/refresh", "Fetch?", Optional.empty())),
                List.of(new EnvironmentView.Component("web", List.of(new EnvironmentView.Resource("acme/web/service",
                        "aws_ecs_service", "drifted", "arn:aws:ecs:eu-west-1:1:service/terrace-acme/web",
                        Optional.of("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/terrace-acme/services/web?region=eu-west-1"))))),
                List.of(new EnvironmentView.Change("acme/web/task", "update", Optional.empty(),
                        List.of(new EnvironmentView.Attribute("cpu", "256", "512")))),
                List.of(new EnvironmentView.Record("acme/cdn/certificate", "_x.www.acme.example. CNAME _y.acm-validations.aws.")),
                List.of(), List.of(), "environments/acme.yaml", spec, List.of(new EnvironmentView.Pass(
                        Moment.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:05:00Z")), "apply",
                        "manual", "abc1234", "Scale web", "Ada", "applied", Optional.empty(), 1200,
                        List.of("update acme/web/task (succeeded)"))));
    }

    @Test
    void theEnvironmentPageEscapesEveryValueAndShowsEachPart() {
        String html = DashboardPage.render("environment.jte", environment(List.of(
                new EnvironmentView.SpecLine(1, "name: acme", List.of()),
                new EnvironmentView.SpecLine(2, "  web: { max: 80 }", List.of("environments/acme.yaml:2:3: too many")))));

        assertFalse(html.contains("<script>alert"), html);
        assertTrue(html.contains("paused: &lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("freeze &lt;b&gt;now&lt;/b&gt; (commit abc123d)"), "the pause banner, escaped");
        assertTrue(html.contains("<td><code>acme/cdn/certificate</code></td><td><code>_x.www.acme.example. CNAME "
                + "_y.acm-validations.aws.</code></td>"), "the DNS records, in their own table");
        assertTrue(html.contains("<span class=\"act act-update\">update</span> <code>acme/web/task</code>"), html);
        assertTrue(html.contains("<td class=\"live\"><code>256</code></td><td class=\"spec\"><code>512</code></td>"), html);
        assertTrue(html.contains("<button id=\"action-sync\" disabled title=\"paused: freeze\">Sync</button>"),
                "sync disabled while paused, with the reason: " + html);
        assertTrue(html.contains("<button id=\"action-refresh\" title=\"Fetch?\">Refresh</button>"), html);
        assertTrue(html.contains("applying: wave 2, 5 change(s) in all (3 s)"), html);
        assertTrue(html.contains("href=\"https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/terrace-acme/services/web?region=eu-west-1\""), html);
        assertTrue(html.contains("<tr class=\"error\"><th scope=\"row\">2</th><td><pre>  web: { max: 80 }</pre>"
                + "<div class=\"diag\">environments/acme.yaml:2:3: too many</div>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">1</th>"), "a line without error has no class: " + html);
        assertTrue(html.contains("<code>abc1234</code> Scale web <span class=\"muted\">Ada</span>"), html);
        assertTrue(html.contains("title=\"2026-01-01T00:00:00Z\">5 min ago</time>"), html);
    }

    @Test
    void theFleetPageKeepsTheChosenFiltersAndLinksThePages() {
        FleetView v = new FleetView(PAGE, List.of(new FleetView.Count("synced", 3, "/?status=synced", true)),
                List.of(new FleetView.Filter("tier", "tier", List.of("developer", "standard"), "standard")),
                "ac\"me", List.of(new FleetView.Row("acme", "synced", "live state matches the spec", "healthy", "",
                "standard", "staging", "acme", "eu-west-1", 0, 0, Optional.empty(), Optional.empty(), Optional.empty())),
                120, 60, 2, 2, Optional.of("/?page=1&tier=standard"), Optional.empty());

        String html = DashboardPage.render("fleet.jte", v);

        assertTrue(html.contains("<option value=\"standard\" selected>standard</option>"), html);
        assertTrue(html.contains("<option value=\"developer\">developer</option>"), html);
        assertTrue(html.contains("value=\"ac&#34;me\""), "the search, escaped in its attribute: " + html);
        assertTrue(html.contains("aria-current=\"true\">synced 3</a>"), html);
        assertTrue(html.contains("60 of 120 shown"), html);
        assertTrue(html.contains("<a href=\"/?page=1&amp;tier=standard\" rel=\"prev\">previous</a>"), html);
        assertTrue(html.contains("page 2 of 2"), html);
        assertEquals(1, html.split("data-environment=", -1).length - 1);
    }
}
