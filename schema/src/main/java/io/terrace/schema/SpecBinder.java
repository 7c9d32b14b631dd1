package io.terrace.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.terrace.schema.EnvironmentSpec.Application;
import io.terrace.schema.EnvironmentSpec.Assets;
import io.terrace.schema.EnvironmentSpec.Cache;
import io.terrace.schema.EnvironmentSpec.Cdn;
import io.terrace.schema.EnvironmentSpec.Database;
import io.terrace.schema.EnvironmentSpec.Network;
import io.terrace.schema.EnvironmentSpec.Monitoring;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.EnvironmentSpec.Sandbox;
import io.terrace.schema.EnvironmentSpec.Search;
import io.terrace.schema.EnvironmentSpec.Web;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link EnvironmentSpec} from a spec tree that passed its tier's schema and has every
 * default applied, so every field is present and of the right type.
 */
final class SpecBinder {

    private SpecBinder() {}

    static EnvironmentSpec bind(ObjectNode s) {
        JsonNode app = s.get("application");
        JsonNode web = app.get("web");
        JsonNode db = s.get("database");
        JsonNode cache = s.get("cache");
        JsonNode search = s.get("search");
        JsonNode cdn = s.get("cdn");
        List<String> aliases = new ArrayList<>();
        cdn.get("aliases").forEach(a -> aliases.add(a.asText()));
        Map<String, String> tags = new LinkedHashMap<>();
        s.get("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        Tier tier = Tier.of(s.get("tier").asText());
        return new EnvironmentSpec(
                s.get("name").asText(),
                s.get("client").asText(),
                tier,
                Stage.of(s.get("stage").asText()),
                s.get("region").asText(),
                Availability.of(s.get("availability").asText()),
                s.get("paused").asBoolean(),
                DriftMode.of(s.get("drift").asText()),
                s.get("decommission").asBoolean(),
                new Application(
                        app.get("image").asText(),
                        new Web(web.get("cpu").asInt(), web.get("memory").asInt(),
                                web.get("min").asInt(), web.get("max").asInt()),
                        new Sandbox(app.get("sandbox").get("enabled").asBoolean()),
                        range(app.get("cavalcade")),
                        app.get("apm").asBoolean()),
                new Database(db.get("version").asText(), db.get("instanceClass").asText(),
                        range(db.get("readers")), db.get("proxy").asBoolean(), text(db.get("restoreFrom"))),
                new Cache(cache.get("nodeType").asText(), cache.get("replicas").asInt()),
                new Search(search.get("version").asText(), search.get("instanceType").asText(),
                        search.get("nodes").asInt()),
                new Assets(s.get("assets").get("versioning").asBoolean()),
                new Cdn(cdn.get("enabled").asBoolean(), aliases, cdn.get("priceClass").asText(),
                        cdn.get("pageTtl").asInt(), cdn.get("assetTtl").asInt()),
                tags,
                new Network(Egress.of(s.get("network").get("egress").asText())),
                monitoring(tier, s.get("monitoring")),
                logs(s.get("logs"), tier),
                new EnvironmentSpec.Maintenance(text(s.path("maintenance").get("window"))));
    }

    /** The spec's subscribers, and its thresholds over the tier's defaults. */
    private static Monitoring monitoring(Tier tier, JsonNode node) {
        List<String> alerts = new ArrayList<>();
        node.get("alerts").forEach(a -> alerts.add(a.asText()));
        Map<Threshold, Double> thresholds = Monitoring.tierDefaults(tier);
        node.get("thresholds").fields().forEachRemaining(e ->
                thresholds.put(Threshold.ofKey(e.getKey()), e.getValue().asDouble()));
        return new Monitoring(alerts, thresholds);
    }

    private static EnvironmentSpec.Logs logs(JsonNode logs, Tier tier) {
        JsonNode days = logs == null ? null : logs.get("retentionDays");
        return days == null ? EnvironmentSpec.Logs.of(tier) : new EnvironmentSpec.Logs(days.asInt());
    }

    private static java.util.Optional<String> text(JsonNode node) {
        return node == null || !node.isTextual() ? java.util.Optional.empty() : java.util.Optional.of(node.asText());
    }

    private static Range range(JsonNode node) {
        return new Range(node.get("min").asInt(), node.get("max").asInt());
    }
}
