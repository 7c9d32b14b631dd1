package io.terrace.reconciler.http;

import io.terrace.drift.DriftReport;
import io.terrace.planner.JsonPlanRenderer;
import io.terrace.reconciler.daemon.DaemonCondition;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.schema.Diagnostic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /api/environments}: plain maps, absent values as null. */
final class StatusJson {

    private StatusJson() {}

    /** A condition of the daemon itself: {@code {"type": "history", "status": "failing", ...}}. */
    static Map<String, Object> condition(DaemonCondition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", c.type());
        m.put("status", c.ok() ? "ok" : "failing");
        m.put("reason", c.reason().orElse(null));
        m.put("since", c.since().map(Object::toString).orElse(null));
        return m;
    }

    /** What a running pass does: {@code {"phase": "applying", "step": "wave 2, 14 change(s) in all", "since": …}}. */
    static Map<String, Object> progress(io.terrace.reconciler.daemon.Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.phase());
        m.put("step", p.step());
        m.put("since", p.since().toString());
        return m;
    }

    static Map<String, Object> summary(EnvironmentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("status", s.condition().id());
        m.put("reason", s.reason());
        m.put("health", s.health().health().id());
        m.put("healthReasons", s.health().reasons());
        m.put("paused", s.pausedReason().orElse(null));
        m.put("tier", s.tier().orElse(null));
        m.put("stage", s.stage().orElse(null));
        m.put("drift", s.driftMode().orElse(null));
        m.put("revision", s.revision());
        m.put("lastAppliedRevision", s.lastAppliedRevision().orElse(null));
        m.put("lastAttemptedRevision", s.lastAttemptedRevision().orElse(null));
        m.put("lastReconciledAt", s.lastReconciledAt().map(Object::toString).orElse(null));
        m.put("nextAttemptAt", s.nextAttemptAt().map(Object::toString).orElse(null));
        m.put("failures", s.failures());
        m.put("pendingChanges", s.pending().stream().filter(p -> !p.isDnsValidation()).count());
        m.put("driftedResources", s.drifted().size());
        return m;
    }

    static Map<String, Object> detail(EnvironmentStatus s, List<HistoryEntry> history) {
        Map<String, Object> m = summary(s);
        m.put("diagnostics", s.diagnostics().stream().map(StatusJson::diagnostic).toList());
        m.put("pending", s.pending().stream().map(p -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("address", p.address());
            c.put("action", p.action());
            c.put("blocked", p.blockedReason().orElse(null));
            return c;
        }).toList());
        m.put("drifted", s.drifted().stream().map(StatusJson::drifted).toList());
        m.put("passes", s.passes());
        m.put("history", history.stream().map(StatusJson::entry).toList());
        return m;
    }

    static Map<String, Object> drifted(DriftReport.DriftedResource d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", d.address());
        m.put("type", d.type().id());
        m.put("kind", d.kind().id());
        m.put("attributes", d.attributes().stream().map(a -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("path", a.path());
            x.put("live", JsonPlanRenderer.value(a.before()));
            x.put("spec", JsonPlanRenderer.value(a.after()));
            return x;
        }).toList());
        return m;
    }

    static Map<String, Object> diagnostic(Diagnostic d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", d.file());
        m.put("line", d.line());
        m.put("column", d.column());
        m.put("message", d.message());
        m.put("text", d.toString());
        return m;
    }

    static Map<String, Object> entry(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("revision", e.revision());
        m.put("trigger", e.trigger());
        m.put("by", e.askedBy().orElse(null));
        m.put("startedAt", e.startedAt().toString());
        m.put("durationMs", e.duration().toMillis());
        m.put("outcome", e.outcome());
        m.put("create", e.count("create"));
        m.put("update", e.count("update"));
        m.put("replace", e.count("replace"));
        m.put("delete", e.count("delete"));
        m.put("actions", e.actions());
        m.put("error", e.error().orElse(null));
        m.put("node", e.nodeId());
        return m;
    }
}
