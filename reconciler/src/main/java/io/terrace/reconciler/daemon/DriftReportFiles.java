package io.terrace.reconciler.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.terrace.planner.AttributeChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes each sweep's report to {@code <data>/reports/drift-<timestamp>.md} and {@code .json},
 * and keeps the newest JSON for {@code /api/drift} (found on disk again after a restart).
 */
public final class DriftReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final AtomicReference<Optional<String>> latest = new AtomicReference<>(Optional.empty());

    public DriftReportFiles(Path dir) {
        this.dir = dir;
        latest.set(newestOnDisk());
    }

    /** Writes both files and returns the path of the JSON one. */
    public Path write(DriftReport report) {
        try {
            Files.createDirectories(dir);
            String base = "drift-" + STAMP.format(report.generatedAt());
            Path json = dir.resolve(base + ".json");
            // Two sweeps within one second (a manual one after a scheduled one) keep both reports.
            for (int i = 2; Files.exists(json); i++) {
                json = dir.resolve(base + "-" + i + ".json");
            }
            String name = json.getFileName().toString();
            String text = json(report);
            Files.writeString(json.resolveSibling(name.replace(".json", ".md")), markdown(report), StandardCharsets.UTF_8);
            Files.writeString(json, text, StandardCharsets.UTF_8);
            latest.set(Optional.of(text));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write drift report to " + dir, e);
        }
    }

    /** The newest report as JSON, if any sweep ran. */
    public Optional<String> latestJson() {
        return latest.get();
    }

    public static String json(DriftReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generatedAt", report.generatedAt().toString());
        root.put("commit", report.commit());
        root.put("environments", report.environments().stream().map(DriftReportFiles::entry).toList());
        root.put("summary", Map.of(
                "environments", report.environments().size(),
                "driftedEnvironments", report.driftedEnvironments(),
                "driftedResources", report.driftedResources()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> entry(DriftReport.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("revision", e.revision());
        m.put("state", e.state());
        m.put("action", e.action());
        m.put("paused", e.paused().orElse(null));
        m.put("pendingChanges", e.pendingChanges());
        m.put("drifted", e.drifted().stream().map(DriftReportFiles::resource).toList());
        m.put("diagnostics", e.diagnostics());
        return m;
    }

    /** One drifted resource as JSON: the planner's attribute changes, before = live, after = spec. */
    public static Map<String, Object> resource(DriftedResource d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", d.address());
        m.put("component", d.component());
        m.put("type", d.type());
        m.put("action", d.action());
        m.put("attributes", d.attributes().stream().map(DriftReportFiles::attribute).toList());
        return m;
    }

    private static Map<String, Object> attribute(AttributeChange a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", a.path());
        m.put("live", a.before() == null ? null : String.valueOf(a.before()));
        m.put("spec", a.after() == null ? null : String.valueOf(a.after()));
        return m;
    }

    public static String markdown(DriftReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# Drift report ").append(report.generatedAt()).append("\n\n");
        md.append("Spec commit `").append(report.commit()).append("`: ")
                .append(report.driftedResources()).append(" drifted resource(s) in ")
                .append(report.driftedEnvironments()).append(" of ").append(report.environments().size())
                .append(" environment(s).\n\n");
        md.append("| environment | revision | state | drifted | pending | action |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (DriftReport.Entry e : report.environments()) {
            md.append("| ").append(e.name()).append(" | `").append(shortRevision(e.revision())).append("` | ")
                    .append(e.state()).append(" | ").append(e.drifted().size()).append(" | ")
                    .append(e.pendingChanges()).append(" | ").append(e.action()).append(" |\n");
        }
        for (DriftReport.Entry e : report.environments()) {
            if (e.drifted().isEmpty() && e.diagnostics().isEmpty()) {
                continue;
            }
            md.append("\n## ").append(e.name()).append("\n\n");
            e.paused().ifPresent(p -> md.append("paused: ").append(p).append("\n\n"));
            e.diagnostics().forEach(d -> md.append("- ").append(d).append('\n'));
            for (DriftedResource d : e.drifted()) {
                md.append("- `").append(d.address()).append("` (").append(d.type()).append("): ")
                        .append(d.action()).append('\n');
                for (AttributeChange a : d.attributes()) {
                    md.append("  - ").append(a.path()).append(": live `").append(a.before())
                            .append("`, spec `").append(a.after()).append("`\n");
                }
            }
        }
        return md.toString();
    }

    private static String shortRevision(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    private Optional<String> newestOnDisk() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.list(dir)) {
            List<Path> reports = files.filter(p -> p.getFileName().toString().matches("drift-.*\\.json"))
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString().replace(".json", "")))
                    .toList();
            if (reports.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(reports.get(reports.size() - 1), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
