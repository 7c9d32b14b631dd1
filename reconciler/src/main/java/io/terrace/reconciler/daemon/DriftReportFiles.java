package io.terrace.reconciler.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.drift.DriftJsonRenderer;
import io.terrace.drift.DriftMarkdownRenderer;
import io.terrace.drift.DriftReport;
import io.terrace.schema.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each sweep's drift report to {@code <data>/reports/drift-<timestamp>.md} and
 * {@code .json} (the drift module's renderers, plus the sweep time, the spec commit and the
 * environments that could not be checked because their spec is invalid), and keeps the newest
 * JSON for {@code /api/drift}, found on disk again after a restart. Reports older than the
 * history retention are pruned with the history ({@link #prune}); the newest is always kept.
 */
public final class DriftReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What one sweep found: a drift report per valid environment, diagnostics per invalid one. */
    public record Sweep(Instant at, String commit, List<DriftReport> environments,
                        Map<String, List<Diagnostic>> invalid) {
        public Sweep {
            environments = List.copyOf(environments);
            invalid = Map.copyOf(invalid);
        }

        public long driftedEnvironments() {
            return environments.stream().filter(DriftReport::drifted).count();
        }

        public int driftedResources() {
            return environments.stream().mapToInt(r -> r.resources().size()).sum();
        }
    }

    /** {@code drift-20250601T120000Z} with an optional {@code -2} suffix, then {@code .json} or {@code .md}. */
    private static final Pattern REPORT = Pattern.compile("drift-(\\d{8}T\\d{6}Z)(-\\d+)?\\.(json|md)");

    private final Path dir;
    private final AtomicReference<Optional<String>> latest = new AtomicReference<>(Optional.empty());

    public DriftReportFiles(Path dir) {
        this.dir = dir;
        latest.set(newestOnDisk());
    }

    /** Writes both files and returns the path of the JSON one. */
    public Path write(Sweep sweep) {
        try {
            Files.createDirectories(dir);
            String base = "drift-" + STAMP.format(sweep.at());
            Path json = dir.resolve(base + ".json");
            // Two sweeps within one second (a manual one after a scheduled one) keep both reports.
            for (int i = 2; Files.exists(json); i++) {
                json = dir.resolve(base + "-" + i + ".json");
            }
            String name = json.getFileName().toString();
            String text = json(sweep);
            Files.writeString(json.resolveSibling(name.replace(".json", ".md")), markdown(sweep), StandardCharsets.UTF_8);
            Files.writeString(json, text, StandardCharsets.UTF_8);
            latest.set(Optional.of(text));
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write drift report to " + dir, e);
        }
    }

    /**
     * Deletes the reports of sweeps before {@code cutoff} (by the sweep time in their name), both
     * files of each, but never the newest report, so {@code /api/drift} survives a long quiet spell.
     * Files that are not reports are left alone.
     *
     * @return how many files were deleted
     */
    public long prune(Instant cutoff) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> reports;
        try (var files = Files.list(dir)) {
            reports = files.filter(p -> REPORT.matcher(p.getFileName().toString()).matches()).toList();
        }
        Optional<String> newest = reports.stream().map(DriftReportFiles::base).max(Comparator.naturalOrder());
        long deleted = 0;
        for (Path report : reports) {
            Matcher m = REPORT.matcher(report.getFileName().toString());
            m.matches();
            Instant at = STAMP.parse(m.group(1), Instant::from);
            if (at.isBefore(cutoff) && !base(report).equals(newest.orElseThrow()) && Files.deleteIfExists(report)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The report's name without its extension: the same for its JSON and Markdown files. */
    private static String base(Path report) {
        String name = report.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    /** The newest report as JSON, if any sweep ran. */
    public Optional<String> latestJson() {
        return latest.get();
    }

    static String json(Sweep sweep) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedAt", sweep.at().toString());
        root.put("commit", sweep.commit());
        root.setAll(new DriftJsonRenderer().tree(sweep.environments()));
        ArrayNode invalid = root.putArray("invalid");
        sweep.invalid().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode n = invalid.addObject();
            n.put("environment", e.getKey());
            ArrayNode d = n.putArray("diagnostics");
            e.getValue().forEach(x -> d.add(x.toString()));
        });
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The reports of several nodes' sweeps as one (each as {@link #json}, oldest first): each
     * environment as the newest report that has it, the summary counted again, and the newest
     * report's time and commit. Empty for none.
     */
    static Optional<String> gather(List<String> reports) {
        if (reports.size() <= 1) {
            return reports.stream().findFirst();
        }
        Map<String, JsonNode> checked = new TreeMap<>();
        Map<String, JsonNode> invalid = new TreeMap<>();
        JsonNode newest = null;
        try {
            for (String text : reports) {
                newest = JSON.readTree(text);
                for (JsonNode e : newest.path("environments")) {
                    invalid.remove(e.path("environment").asText());
                    checked.put(e.path("environment").asText(), e);
                }
                for (JsonNode e : newest.path("invalid")) {
                    checked.remove(e.path("environment").asText());
                    invalid.put(e.path("environment").asText(), e);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a node's drift report is not JSON: " + e.getMessage(), e);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("generatedAt", newest.path("generatedAt"));
        root.set("commit", newest.path("commit"));
        root.putArray("environments").addAll(checked.values());
        ObjectNode summary = root.putObject("summary");
        summary.put("environments", checked.size());
        summary.put("drifted", checked.values().stream().filter(e -> e.path("drifted").asBoolean()).count());
        summary.put("resources", checked.values().stream().mapToInt(e -> e.path("resources").size()).sum());
        root.putArray("invalid").addAll(invalid.values());
        try {
            return Optional.of(JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String markdown(Sweep sweep) {
        StringBuilder md = new StringBuilder(new DriftMarkdownRenderer().render(sweep.environments()));
        md.append("\nSpec commit `").append(sweep.commit()).append("`, sweep at ").append(sweep.at()).append(".\n");
        if (!sweep.invalid().isEmpty()) {
            md.append("\n## Not checked: invalid specs\n\n");
            sweep.invalid().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> e.getValue().forEach(d -> md.append("- `").append(d).append("`\n")));
        }
        return md.toString();
    }

    private Optional<String> newestOnDisk() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.list(dir)) {
            Optional<Path> newest = files.filter(p -> p.getFileName().toString().matches("drift-.*\\.json"))
                    .max(Comparator.comparing(p -> p.getFileName().toString().replace(".json", "")));
            return newest.isEmpty() ? Optional.empty()
                    : Optional.of(Files.readString(newest.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
