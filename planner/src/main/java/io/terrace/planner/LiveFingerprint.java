package io.terrace.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A digest of one environment's live resources as an observe sweep saw them: SHA-256 over a
 * canonical JSON (resources by address, keys sorted, numbers by value) of each resource's type,
 * id, attributes and tags. Two sweeps of an untouched environment give the same fingerprint; any
 * out-of-band edit, a resource created or deleted, or an apply (which moves the revision tag)
 * gives another.
 *
 * <p>Volatile fields are left out, because they move while nobody changes the infrastructure:
 * counts an autoscaler owns (an ECS service's desired count, the number of Aurora readers; the
 * plan compares them as ranges, and a count leaving its range changes the plan, which the saved
 * plan check catches anyway), task counts, statuses and timestamps.
 */
public final class LiveFingerprint {

    /** Attributes that move without a change to the infrastructure, for every resource type. */
    static final Set<String> VOLATILE = Set.of(
            "status", "state", "lastModifiedTime", "lastUpdatedTime", "updatedAt", "etag", "eTag");

    /** Attributes an autoscaler or scheduler owns, per resource type. */
    static final Map<ResourceType, Set<String>> VOLATILE_BY_TYPE = Map.of(
            ResourceType.ECS_SERVICE, Set.of(AttributeKeys.EcsService.DESIRED_COUNT, "runningCount", "pendingCount", "deployments",
                    AttributeKeys.Observed.ROLLOUT_STATE, AttributeKeys.Observed.ROLLOUT_REASON,
                    AttributeKeys.Observed.ROLLOUT_STARTED_AT),
            ResourceType.RDS_READERS, Set.of("count", AttributeKeys.Observed.MEMBER_STATUSES),
            ResourceType.OPENSEARCH_DOMAIN, Set.of(AttributeKeys.Observed.PROCESSING));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private LiveFingerprint() {}

    /** {@code sha256:<64 hex digits>} of the resources (an environment with none has one too). */
    public static String of(Collection<ObservedResource> resources) {
        try {
            byte[] canonical = canonicalJson(resources).getBytes(StandardCharsets.UTF_8);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The exact text that is hashed, for tests and for explaining a mismatch. */
    static String canonicalJson(Collection<ObservedResource> resources) {
        List<Map<String, Object>> docs = new ArrayList<>();
        resources.stream().sorted(Comparator.comparing(ObservedResource::address)).forEach(r -> {
            Map<String, Object> attributes = new TreeMap<>();
            Set<String> perType = VOLATILE_BY_TYPE.getOrDefault(r.type(), Set.of());
            r.attributes().forEach((k, v) -> {
                if (!VOLATILE.contains(k) && !perType.contains(k)) {
                    attributes.put(k, canonical(v));
                }
            });
            Map<String, Object> doc = new TreeMap<>();
            doc.put("address", r.address());
            doc.put("type", r.type().id());
            doc.put("id", r.id());
            doc.put("attributes", attributes);
            doc.put("tags", new TreeMap<>(r.tags()));
            docs.add(doc);
        });
        try {
            return JSON.writeValueAsString(docs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("observed attributes are plain JSON values", e);
        }
    }

    /** Numbers by value (3, 3L and 3.0 are one number), maps sorted, lists kept in order. */
    private static Object canonical(Object v) {
        if (v instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal bd ? bd
                    : n instanceof BigInteger bi ? new BigDecimal(bi)
                    : (n instanceof Double || n instanceof Float) ? BigDecimal.valueOf(n.doubleValue())
                    : BigDecimal.valueOf(n.longValue());
            d = d.stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigIntegerExact() : d;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), canonical(x)));
            return sorted;
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(LiveFingerprint::canonical).toList();
        }
        return v;
    }
}
