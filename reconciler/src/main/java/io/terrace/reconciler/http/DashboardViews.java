package io.terrace.reconciler.http;

import io.terrace.drift.DriftReport;
import io.terrace.drift.Health;
import io.terrace.planner.Action;
import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeValues;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.TextPlanRenderer;
import io.terrace.reconciler.daemon.Condition;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.daemon.LastPlan;
import io.terrace.reconciler.daemon.Progress;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.http.view.EnvironmentView;
import io.terrace.reconciler.http.view.FleetView;
import io.terrace.reconciler.http.view.Moment;
import io.terrace.reconciler.http.view.Page;
import io.terrace.schema.Diagnostic;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Builds what the dashboard's pages show from the daemon's state: the fleet, filtered and cut
 * into pages on the server (a thousand environments cost one page of rows), and one environment.
 */
final class DashboardViews {

    static final int PAGE_SIZE = 50;
    private static final int HISTORY = 20;
    private static final List<String> FILTERS = List.of("status", "health", "tier", "client", "region");

    private final Daemon daemon;
    private final Commits commits;

    DashboardViews(Daemon daemon) {
        this.daemon = daemon;
        this.commits = new Commits(() -> daemon.git().repository());
    }

    Page page(String title) {
        return new Page(title, daemon.config().branch(),
                daemon.repository().commit().map(id -> id.name().substring(0, 12)).orElse("none yet"),
                daemon.repository().lastSync().map(this::moment), daemon.repository().repositoryPause()
                        .map(r -> r + daemon.repository().commit().map(c -> " (commit " + c.name().substring(0, 7) + ")")
                                .orElse("")),
                daemon.repository().notReady(),
                daemon.conditions().stream().filter(c -> !c.ok())
                        .map(c -> c.type() + " failing" + c.since().map(t -> " since " + t).orElse("") + ": "
                                + c.reason().orElse("unknown") + "; reconciling goes on")
                        .toList());
    }

    private Moment moment(Instant at) {
        return Moment.of(at, Instant.now());
    }

    /** The fleet page for the query string {@code rawQuery} (status, health, tier, client, region, q, page). */
    FleetView fleet(Optional<String> rawQuery) {
        Map<String, String> params = params(rawQuery);
        List<EnvironmentStatus> all = daemon.statuses().all();
        Map<String, LastPlan> plans = all.stream().collect(Collectors.toMap(EnvironmentStatus::name,
                s -> daemon.statuses().plan(s.name()), (a, b) -> a, LinkedHashMap::new));
        Map<String, Function<EnvironmentStatus, String>> facets = new LinkedHashMap<>();
        facets.put("status", s -> s.condition().id());
        facets.put("health", s -> s.health().health().id());
        facets.put("tier", s -> s.tier().orElse(""));
        facets.put("client", s -> plans.get(s.name()).client().orElse(""));
        facets.put("region", s -> plans.get(s.name()).region().orElse(""));
        String q = params.getOrDefault("q", "").strip().toLowerCase(Locale.ROOT);
        List<EnvironmentStatus> matched = all.stream()
                .filter(s -> FILTERS.stream().allMatch(f -> params.getOrDefault(f, "").isEmpty()
                        || params.get(f).equals(facets.get(f).apply(s))))
                .filter(s -> q.isEmpty() || s.name().toLowerCase(Locale.ROOT).contains(q)
                        || s.reason().toLowerCase(Locale.ROOT).contains(q))
                .toList();
        int pages = Math.max(1, (matched.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int number = Math.min(pages, Math.max(1, parseInt(params.get("page"))));
        List<FleetView.Row> rows = matched.subList((number - 1) * PAGE_SIZE, Math.min(matched.size(), number * PAGE_SIZE))
                .stream().map(s -> row(s, plans.get(s.name()))).toList();

        Map<String, Integer> byStatus = new LinkedHashMap<>();
        Arrays.stream(Condition.values()).forEach(c -> byStatus.put(c.id(), 0));
        all.forEach(s -> byStatus.merge(s.condition().id(), 1, Integer::sum));
        List<FleetView.Count> counts = byStatus.entrySet().stream()
                .filter(e -> e.getValue() > 0 || e.getKey().equals("synced"))
                .map(e -> new FleetView.Count(e.getKey(), e.getValue(), "/?status=" + e.getKey(),
                        e.getKey().equals(params.getOrDefault("status", ""))))
                .toList();

        List<FleetView.Filter> filters = new ArrayList<>();
        for (String f : FILTERS) {
            Set<String> options = new TreeSet<>();
            switch (f) {
                case "status" -> Arrays.stream(Condition.values()).forEach(c -> options.add(c.id()));
                case "health" -> Arrays.stream(Health.values()).forEach(h -> options.add(h.id()));
                default -> all.forEach(s -> options.add(facets.get(f).apply(s)));
            }
            options.remove("");
            filters.add(new FleetView.Filter(f, f, List.copyOf(options), params.getOrDefault(f, "")));
        }
        return new FleetView(page("Terrace"), counts, filters, params.getOrDefault("q", ""), rows, all.size(),
                matched.size(), number, pages,
                number > 1 ? Optional.of(link(params, number - 1)) : Optional.empty(),
                number < pages ? Optional.of(link(params, number + 1)) : Optional.empty());
    }

    private FleetView.Row row(EnvironmentStatus s, LastPlan plan) {
        return new FleetView.Row(s.name(), s.condition().id(), s.reason(), s.health().health().id(),
                s.health().firstReason().orElse(""), s.tier().orElse(""), s.stage().orElse(""),
                plan.client().orElse(""), plan.region().orElse(""),
                s.pending().stream().filter(p -> !p.isDnsValidation()).count(), s.drifted().size(),
                s.lastReconciledAt().map(this::moment), progress(s.name()),
                s.pausedReason().or(() -> daemon.repository().repositoryPause()).map(r -> "paused: " + r));
    }

    /** "applying: wave 2, 14 change(s) in all (12 s)": what a running pass is doing. */
    private Optional<String> progress(String name) {
        return daemon.statuses().progress(name).map(p -> p.phase() + ": " + p.step() + " ("
                + Moment.of(p.since(), Instant.now()).relative().replace(" ago", "").replace("just now", "0 s")
                + ")");
    }

    private static String link(Map<String, String> params, int page) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("page", Integer.toString(page));
        return "/?" + p.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> params(Optional<String> rawQuery) {
        Map<String, String> out = new TreeMap<>();
        for (String field : rawQuery.orElse("").split("&")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.put(URLDecoder.decode(field.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(field.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a broken %-escape: the field is ignored
            }
        }
        out.remove("token");
        return out;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The actions of the environment page, one entry each. */
    private static List<EnvironmentView.Action> actions(EnvironmentStatus s, Optional<String> pause) {
        Optional<String> disabled = pause.map(r -> "paused: " + r);
        return List.of(
                new EnvironmentView.Action("sync", "Sync", "/api/environments/" + s.name() + "/sync",
                        "Reconcile " + s.name() + " now? Drift is corrected, even under drift: report.", disabled),
                new EnvironmentView.Action("refresh", "Refresh", "/api/refresh",
                        "Fetch the spec repository now?", Optional.empty()),
                new EnvironmentView.Action("failover", "Failover", "/api/environments/" + s.name() + "/failover",
                        "Fail " + s.name() + " over now? A database reader becomes the writer and the cache replica"
                                + " the primary; refused when there is none.", Optional.empty()));
    }

    EnvironmentView environment(EnvironmentStatus s) {
        LastPlan last = daemon.statuses().plan(s.name());
        String region = last.region().orElse("");
        Set<String> drifted = s.drifted().stream().map(DriftReport.DriftedResource::address).collect(Collectors.toSet());
        Map<String, List<EnvironmentView.Resource>> tree = new TreeMap<>();
        List<EnvironmentView.Change> pending = new ArrayList<>();
        Set<String> pendingAddresses = s.pending().stream().map(EnvironmentStatus.Pending::address)
                .collect(Collectors.toSet());
        for (Change c : last.plan().map(EnvironmentPlan::changes).orElse(List.of())) {
            String state = drifted.contains(c.address()) ? "drifted"
                    : last.applied().containsKey(c.address())
                    ? TextPlanRenderer.word(c.action()) + " " + last.applied().get(c.address())
                    : switch (c.action()) {
                        case NO_OP -> "in sync";
                        case CREATE -> "missing";
                        case UPDATE, REPLACE -> "differs";
                        case DELETE -> "not in spec";
                    };
            String id = c.observed().map(o -> o.id()).orElse("");
            tree.computeIfAbsent(component(c), k -> new ArrayList<>()).add(new EnvironmentView.Resource(c.address(),
                    c.type().id(), state, id.isEmpty() ? "—" : id,
                    c.observed().flatMap(o -> ConsoleLinks.of(c.type(), region, o.id()))));
            if (c.action() != Action.NO_OP && pendingAddresses.contains(c.address())) {
                pending.add(new EnvironmentView.Change(c.address(), TextPlanRenderer.word(c.action()),
                        c.blockedReason(), attributes(c.attributes())));
            }
        }
        // What the status lists but the newest plan does not hold (a pass that failed before planning).
        Set<String> shown = pending.stream().map(EnvironmentView.Change::address).collect(Collectors.toSet());
        s.pending().stream().filter(p -> !p.isDnsValidation() && !shown.contains(p.address()))
                .forEach(p -> pending.add(new EnvironmentView.Change(p.address(), p.action(), p.blockedReason(), List.of())));
        List<EnvironmentView.Record> records = s.pending().stream().filter(EnvironmentStatus.Pending::isDnsValidation)
                .map(p -> new EnvironmentView.Record(p.address(), p.blockedReason().orElse(""))).toList();
        List<EnvironmentView.Drift> drift = s.drifted().stream()
                .map(d -> new EnvironmentView.Drift(d.address(), attributes(d.attributes()))).toList();

        Optional<String> pause = s.pausedReason().or(() -> daemon.repository().repositoryPause());
        String file = last.file().orElse("environments/" + s.name() + ".yaml");
        Map<Integer, List<String>> errors = s.diagnostics().stream()
                .collect(Collectors.groupingBy(Diagnostic::line, TreeMap::new,
                        Collectors.mapping(d -> d.toString(), Collectors.toList())));
        List<EnvironmentView.SpecLine> spec = new ArrayList<>();
        Optional<ObjectId> head = daemon.repository().commit();
        Optional<String> text = head.flatMap(h -> commits.file(h, file));
        if (text.isPresent()) {
            String[] lines = text.get().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i == lines.length - 1 && lines[i].isEmpty()) {
                    break;
                }
                spec.add(new EnvironmentView.SpecLine(i + 1, lines[i], errors.getOrDefault(i + 1, List.of())));
            }
        }
        List<String> diagnostics = s.diagnostics().stream().map(Diagnostic::toString).toList();

        List<EnvironmentView.Pass> history = daemon.recentHistory(s.name(), HISTORY).stream().map(this::pass).toList();
        return new EnvironmentView(page(s.name()), s.name(), s.condition().id(), s.reason(), s.health().health().id(),
                s.health().reasons(), s.tier().orElse("?"), s.stage().orElse("?"), last.client().orElse("?"),
                region.isEmpty() ? "?" : region, s.driftMode().orElse("?"), DashboardPage.shortRev(s.revision()),
                s.lastAppliedRevision().map(DashboardPage::shortRev).orElse("never"),
                s.lastReconciledAt().map(this::moment), s.nextAttemptAt().map(this::moment), progress(s.name()),
                actions(s, pause), tree.entrySet().stream()
                        .map(e -> new EnvironmentView.Component(e.getKey(), e.getValue())).toList(),
                pending, records, drift, diagnostics, file, spec, history);
    }

    private static String component(Change c) {
        try {
            return c.component().id();
        } catch (RuntimeException e) {
            return "other";
        }
    }

    private static List<EnvironmentView.Attribute> attributes(List<AttributeChange> changes) {
        return changes.stream().map(a -> new EnvironmentView.Attribute(a.path(), AttributeValues.display(a.before()),
                AttributeValues.display(a.after()))).toList();
    }

    private EnvironmentView.Pass pass(HistoryEntry e) {
        Commits.Commit c = commits.commit(e.revision());
        List<String> changes = e.kind() == HistoryEntry.Kind.APPLY || e.kind() == HistoryEntry.Kind.ROTATION
                ? e.actions().stream().map(a -> a.action() + " " + a.address() + " (" + a.status() + ")").toList()
                : List.of();
        return new EnvironmentView.Pass(moment(e.startedAt()), e.kind().name().toLowerCase(Locale.ROOT), asked(e),
                c.shortHash(), c.message(), c.author(), e.outcome(), e.error(), e.duration().toMillis(), changes);
    }

    /**
     * The trigger as the history page shows it, with who asked: {@code now by alice} for
     * {@code now:alice}, {@code by alice} for a failover alice asked for.
     */
    static String asked(HistoryEntry e) {
        if (e.kind() == HistoryEntry.Kind.FAILOVER) {
            return e.askedBy().map(who -> "by " + who).orElse("");
        }
        return e.trigger().replace(":", " by ").replace(",", ", ");
    }

    static Duration elapsed(Progress p) {
        return Duration.between(p.since(), Instant.now());
    }
}
