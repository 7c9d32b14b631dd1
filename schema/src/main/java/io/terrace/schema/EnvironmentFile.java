package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One environment file taken through the per-file steps: read YAML, validate against the tier's
 * schema, apply defaults, bind, check the rules schemas cannot express. What the cross-file rules
 * need (the declared name, the CDN aliases and where they are written) is kept alongside.
 */
final class EnvironmentFile {

    /** A CDN alias as written in a file, with its JSON Pointer for positioning. */
    record Alias(String host, String pointer) {}

    /** Diagnostics reported per file; past this the rest are counted, so one file's output stays bounded. */
    static final int MAX_DIAGNOSTICS = 25;

    private final String file;
    private final String stem;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private SourceMap positions = new SourceMap();
    private Optional<ObjectNode> tree = Optional.empty();
    private Optional<EnvironmentSpec> spec = Optional.empty();

    private EnvironmentFile(String file) {
        this.file = file;
        this.stem = stem(file);
    }

    /** Validates the content of {@code file} (repository-relative path) on its own. */
    static EnvironmentFile read(String file, byte[] content) {
        EnvironmentFile env = new EnvironmentFile(file);
        try {
            env.validate(content);
        } catch (RuntimeException e) {
            // A bug in a rule must cost one file, not the repository.
            env.diagnostics.add(new Diagnostic(file, 0, 0, "internal error while validating: " + e));
        }
        return env;
    }

    /** A file that could not be read at all (I/O error, too large to read). */
    static EnvironmentFile unreadable(String file, String message) {
        EnvironmentFile env = new EnvironmentFile(file);
        env.diagnostics.add(new Diagnostic(file, 0, 0, message));
        return env;
    }

    private void validate(byte[] content) {
        YamlDocument doc = YamlLoader.load(file, content);
        if (doc instanceof YamlDocument.Rejected rejected) {
            diagnostics.addAll(rejected.diagnostics());
            return;
        }
        YamlDocument.Tree parsed = (YamlDocument.Tree) doc;
        positions = parsed.positions();
        tree = Optional.of(parsed.root());
        Optional<Tier> tier = tierOf(parsed.root());
        TierSchemas schemas = TierSchemas.get();
        List<ValidationMessage> messages = schemas.validate(tier, parsed.root());
        diagnostics.addAll(new SchemaMessages(file, positions, schemas).rewrite(messages));
        diagnostics.addAll(floats(messages));
        if (!diagnostics.isEmpty() || tier.isEmpty()) {
            return;
        }
        EnvironmentSpec bound = SpecBinder.bind(SpecDefaults.apply(tier.get(), parsed.root(), schemas));
        diagnostics.addAll(SpecRules.check(file, stem, positions, bound));
        spec = Optional.of(bound);
    }

    /**
     * JSON Schema counts {@code 2.0} as an integer; spec v1 does not, since no size or count has a
     * fraction. Floats already reported (wrong type), under an unknown key, or in a field whose
     * schema type is {@code number} (alarm thresholds) are left alone.
     */
    private List<Diagnostic> floats(List<ValidationMessage> messages) {
        Set<String> unknown = SchemaMessages.unknownKeys(messages);
        Set<String> reported = new java.util.HashSet<>();
        messages.forEach(m -> reported.add(SchemaMessages.pointer(m.getInstanceLocation())));
        List<Diagnostic> out = new ArrayList<>();
        for (String pointer : positions.floats()) {
            boolean underUnknown = unknown.stream().anyMatch(u -> pointer.equals(u) || pointer.startsWith(u + "/"));
            if (underUnknown || reported.contains(pointer) || isFractional(pointer)) {
                continue;
            }
            JsonNode value = tree.get().at(pointer);
            SourceMap.Position p = positions.value(pointer);
            out.add(new Diagnostic(file, p.line(), p.column(), SourceMap.dotted(pointer) + " is "
                    + value.asText() + "; sizes and counts are whole numbers (write "
                    + value.decimalValue().stripTrailingZeros().toPlainString() + ")"));
        }
        return out;
    }

    /** A field the base schema types as {@code number}: fractions are allowed there. */
    private static boolean isFractional(String pointer) {
        JsonNode schema = TierSchemas.get().baseDocument();
        for (String part : pointer.substring(1).split("/")) {
            schema = schema.path("properties").path(part);
        }
        return "number".equals(schema.path("type").asText());
    }

    private static Optional<Tier> tierOf(ObjectNode root) {
        JsonNode tier = root.path("tier");
        for (Tier t : Tier.values()) {
            if (tier.isTextual() && t.id().equals(tier.asText())) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static String stem(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    String file() {
        return file;
    }

    /** The name the file declares when it has a textual one, else its file name without extension. */
    String name() {
        return tree.map(t -> t.path("name")).filter(JsonNode::isTextual).map(JsonNode::asText).orElse(stem);
    }

    /** The client the file declares, when it has a textual one. */
    Optional<String> client() {
        return tree.map(t -> t.path("client")).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** The environment or snapshot the file's database is restored from, when written. */
    Optional<String> restoreFrom() {
        return tree.map(t -> t.at("/database/restoreFrom")).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** The CDN aliases the file claims: none when its CDN is turned off. */
    List<Alias> aliases() {
        if (tree.isEmpty()) {
            return List.of();
        }
        JsonNode enabled = tree.get().at("/cdn/enabled");
        if (enabled.isBoolean() && !enabled.asBoolean()) {
            return List.of();
        }
        List<Alias> out = new ArrayList<>();
        JsonNode aliases = tree.get().at("/cdn/aliases");
        if (!aliases.isArray()) {
            // A mapping or scalar here is the schema's error to report, not a list of aliases.
            return out;
        }
        for (int i = 0; i < aliases.size(); i++) {
            if (aliases.get(i).isTextual()) {
                out.add(new Alias(aliases.get(i).asText(), "/cdn/aliases/" + i));
            }
        }
        return out;
    }

    void addProblem(String pointer, String message) {
        SourceMap.Position p = positions.value(pointer);
        diagnostics.add(new Diagnostic(file, p.line(), p.column(), message));
    }

    SpecResult result() {
        if (diagnostics.isEmpty() && spec.isPresent()) {
            return new SpecResult.Valid(spec.get().name(), file, spec.get());
        }
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(java.util.Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        if (sorted.size() > MAX_DIAGNOSTICS) {
            int hidden = sorted.size() - (MAX_DIAGNOSTICS - 1);
            sorted = new ArrayList<>(sorted.subList(0, MAX_DIAGNOSTICS - 1));
            sorted.add(new Diagnostic(file, 0, 0, "and " + hidden + " more problems in this file; fix the ones above first"));
        }
        return new SpecResult.Invalid(stem, file, sorted);
    }
}
