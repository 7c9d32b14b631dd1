package io.terrace.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A plan saved by {@code terrace plan --out FILE} for {@code terrace apply --plan FILE}: the JSON
 * plan document ({@code --format json}) with, on each environment, the revision of the spec it was
 * computed from (already part of the plan) and the {@link LiveFingerprint} of the live state it
 * saw, plus the options it was computed with.
 *
 * <p>Applying re-reads the specs and live state and plans again with the saved options. The saved
 * plan is refused when any environment's revision or fingerprint moved, and, as a last check,
 * when the plan computed now is not the saved one change for change. What gets applied is then
 * exactly what was reviewed.
 *
 * @param document the saved JSON document, fingerprints included
 */
public record SavedPlan(PlanOptions options, Map<String, Stamp> environments, ObjectNode document) {

    /** The version of the saved-plan document; a reader refuses any other. */
    public static final int VERSION = 1;

    /** What an environment's plan was computed from. */
    public record Stamp(String revision, String fingerprint) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public SavedPlan {
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
    }

    /** Saves a plan with the live state it was computed from. */
    public static SavedPlan of(Plan plan, ObservedState observed, PlanOptions options) {
        ObjectNode document = new JsonPlanRenderer().tree(plan);
        ObjectNode saved = JSON.createObjectNode();
        saved.put("version", VERSION);
        saved.put("allowDestroy", options.allowDestroy());
        // Put the saved-plan header first, then the plan as --format json prints it.
        ObjectNode root = JSON.createObjectNode();
        root.set("savedPlan", saved);
        root.setAll(document);
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        Map<String, List<ObservedResource>> live = observed.byEnvironment();
        for (JsonNode env : root.path("environments")) {
            String name = env.path("name").asText();
            Stamp stamp = new Stamp(env.path("revision").asText(), LiveFingerprint.of(live.getOrDefault(name, List.of())));
            ((ObjectNode) env).put("fingerprint", stamp.fingerprint());
            stamps.put(name, stamp);
        }
        return new SavedPlan(options, stamps, root);
    }

    /** The environments the saved plan covers, which are the ones {@code apply --plan} applies. */
    public SortedSet<String> environmentNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(environments.keySet()));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a saved plan.
     *
     * @throws IllegalArgumentException with a one-line message naming the file when it is missing,
     *                                  not JSON, or not a saved plan
     */
    public static SavedPlan read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new IllegalArgumentException(file + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not a saved plan (invalid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("savedPlan").isObject()) {
            throw new IllegalArgumentException(file + ": not a saved plan (write one with terrace plan --out FILE)");
        }
        int version = root.path("savedPlan").path("version").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException(file + ": saved plan version " + version + " is not supported (expected "
                    + VERSION + "); plan again with this terrace");
        }
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        for (JsonNode env : root.path("environments")) {
            String name = env.path("name").asText("");
            String revision = env.path("revision").asText("");
            String fingerprint = env.path("fingerprint").asText("");
            if (name.isEmpty() || revision.isEmpty() || !fingerprint.startsWith("sha256:")) {
                throw new IllegalArgumentException(file + ": not a saved plan (an environment lacks its name, revision"
                        + " or fingerprint)");
            }
            stamps.put(name, new Stamp(revision, fingerprint));
        }
        boolean allowDestroy = root.path("savedPlan").path("allowDestroy").asBoolean(false);
        return new SavedPlan(new PlanOptions(allowDestroy), stamps, (ObjectNode) root);
    }

    /**
     * Why this saved plan may no longer be applied, one line per environment; empty when every
     * environment's spec revision and live fingerprint are unchanged and planning again gives
     * the same changes.
     *
     * @param current  the plan computed now, from the current specs and live state, with
     *                 {@link #options()}
     * @param observed the live state {@code current} was computed from
     */
    public List<String> staleness(Plan current, ObservedState observed) {
        List<String> reasons = new ArrayList<>();
        SavedPlan now = of(current, observed, options);
        for (Map.Entry<String, Stamp> e : environments.entrySet()) {
            String name = e.getKey();
            Stamp then = e.getValue();
            Optional<Stamp> stamp = Optional.ofNullable(now.environments.get(name));
            if (stamp.isEmpty()) {
                reasons.add(name + ": no longer planned: its spec file and live resources are both gone");
            } else if (!stamp.get().revision().equals(then.revision())) {
                reasons.add(name + ": spec moved from revision " + shortRevision(then.revision()) + " to "
                        + shortRevision(stamp.get().revision()));
            } else if (!stamp.get().fingerprint().equals(then.fingerprint())) {
                reasons.add(name + ": live state changed since the plan was saved");
            } else if (!applied(now.environmentNode(name)).equals(applied(environmentNode(name)))) {
                reasons.add(name + ": planning again gives different changes than the saved plan");
            }
        }
        return reasons;
    }

    /** The environments of {@code current} that this saved plan covers, for the executor. */
    public List<EnvironmentPlan> covered(Plan current) {
        return current.environments().stream().filter(e -> environments.containsKey(e.name())).toList();
    }

    private JsonNode environmentNode(String name) {
        for (JsonNode env : document.path("environments")) {
            if (env.path("name").asText().equals(name)) {
                return env;
            }
        }
        return JSON.missingNode();
    }

    /**
     * What an apply of the environment would carry out: its changes and blocked changes, as
     * JSON text read back, so numbers compare by their JSON form and not their Java type.
     */
    private static JsonNode applied(JsonNode env) {
        ObjectNode n = JSON.createObjectNode();
        n.set("changes", env.path("changes"));
        n.set("blocked", env.path("blocked"));
        try {
            return JSON.readTree(JSON.writeValueAsString(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortRevision(String revision) {
        return revision.length() == 40 ? revision.substring(0, 12) : revision;
    }
}
