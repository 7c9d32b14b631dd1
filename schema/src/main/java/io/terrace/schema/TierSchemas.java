package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schemas of spec v1, loaded once from the classpath
 * ({@code io/terrace/schema/tiers/base.json} plus one file per tier that adds its limits with
 * {@code allOf}/{@code $ref}). Validation runs the tier's schema, or the base schema when the
 * tier itself is missing or unknown (the base schema then reports it).
 */
public final class TierSchemas {

    static final String LOCATION = "io/terrace/schema/tiers/";

    private static final TierSchemas INSTANCE = new TierSchemas();

    private final JsonSchema base;
    private final Map<Tier, JsonSchema> tiers = new EnumMap<>(Tier.class);
    private final JsonNode baseDocument;
    private final Map<Tier, JsonNode> tierDocuments = new EnumMap<>(Tier.class);

    private TierSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(false)
                .build();
        base = factory.getSchema(SchemaLocation.of("classpath:" + LOCATION + "base.json"), config);
        base.initializeValidators();
        baseDocument = read("base.json");
        for (Tier tier : Tier.values()) {
            JsonSchema schema = factory.getSchema(
                    SchemaLocation.of("classpath:" + LOCATION + tier.id() + ".json"), config);
            schema.initializeValidators();
            tiers.put(tier, schema);
            tierDocuments.put(tier, read(tier.id() + ".json"));
        }
    }

    public static TierSchemas get() {
        return INSTANCE;
    }

    /** Validates a spec tree against its tier's schema (or the base schema if {@code tier} is empty). */
    public List<ValidationMessage> validate(Optional<Tier> tier, JsonNode spec) {
        JsonSchema schema = tier.map(tiers::get).orElse(base);
        return List.copyOf(schema.validate(spec));
    }

    /** The base schema document, for defaults and documentation. */
    JsonNode baseDocument() {
        return baseDocument;
    }

    /** The tier's own constraints: the schema after {@code $ref} in the tier file's {@code allOf}. */
    JsonNode tierOverlay(Tier tier) {
        JsonNode allOf = tierDocuments.get(tier).path("allOf");
        for (JsonNode part : allOf) {
            if (!part.has("$ref")) {
                return part;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Whether a schema location belongs to a tier file rather than the base schema. */
    static Optional<Tier> tierOf(SchemaLocation location) {
        String iri = location.getAbsoluteIri() == null ? "" : location.getAbsoluteIri().toString();
        for (Tier tier : Tier.values()) {
            if (iri.endsWith("/" + tier.id() + ".json")) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }

    /** The schema object that holds the keyword at {@code location}, for its description. */
    JsonNode schemaObject(SchemaLocation location) {
        Optional<Tier> tier = tierOf(location);
        JsonNode document = tier.map(tierDocuments::get).orElse(baseDocument);
        var fragment = location.getFragment();
        JsonNode node = document;
        for (int i = 0; i < fragment.getNameCount() - 1; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
        }
        return node;
    }

    private static JsonNode read(String name) {
        try (InputStream in = TierSchemas.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + LOCATION + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
