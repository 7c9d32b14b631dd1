package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Builds spec files for tests: a minimal valid spec per tier, changed by dotted-path overrides. */
final class SpecFixtures {

    /** Marks a key to delete in {@link #spec}. */
    static final Object REMOVE = new Object();

    private SpecFixtures() {}

    /** A minimal valid spec of {@code tier} at {@code stage}, named {@code name}. */
    static Map<String, Object> minimal(String name, String tier, String stage) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("apiVersion", "terrace/v1");
        spec.put("kind", "Environment");
        spec.put("name", name);
        spec.put("client", "acme");
        spec.put("tier", tier);
        spec.put("stage", stage);
        spec.put("region", "eu-west-1");
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("image", "registry.example.com/acme/app:1.0.0");
        spec.put("application", app);
        return spec;
    }

    /** {@link #minimal} with overrides such as {@code "application.web.max" -> 20}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(String name, String tier, String stage, Map<String, Object> overrides) {
        Map<String, Object> spec = minimal(name, tier, stage);
        overrides.forEach((path, value) -> {
            String[] parts = path.split("\\.");
            Map<String, Object> node = spec;
            for (int i = 0; i < parts.length - 1; i++) {
                node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
            }
            if (value == REMOVE) {
                node.remove(parts[parts.length - 1]);
            } else {
                node.put(parts[parts.length - 1], value);
            }
        });
        return spec;
    }

    static String yaml(Map<String, Object> spec) {
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(spec);
    }

    /** Loads one file from memory, as if it were {@code environments/<fileName>}. */
    static SpecResult load(String fileName, String yaml) {
        return load(fileName, yaml.getBytes(StandardCharsets.UTF_8));
    }

    static SpecResult load(String fileName, byte[] content) {
        SpecSet set = SpecRepository.load(Map.of("environments/" + fileName, content), Optional.empty());
        assertEquals(1, set.results().size());
        return set.results().get(0);
    }

    static List<Diagnostic> diagnostics(SpecResult result) {
        return assertInstanceOf(SpecResult.Invalid.class, result, "expected the spec to be invalid").diagnostics();
    }

    static EnvironmentSpec valid(SpecResult result) {
        if (result instanceof SpecResult.Invalid invalid) {
            throw new AssertionError("expected a valid spec, got " + invalid.diagnostics());
        }
        return ((SpecResult.Valid) result).spec();
    }
}
