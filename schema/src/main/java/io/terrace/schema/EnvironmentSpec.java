package io.terrace.schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One hosting environment as declared in {@code environments/<name>.yaml} (spec v1), with every
 * default applied. Instances are only built by the loader from a spec that passed validation, so
 * the planner can trust every value.
 */
public record EnvironmentSpec(
        String name,
        String client,
        Tier tier,
        Stage stage,
        String region,
        Availability availability,
        boolean paused,
        DriftMode drift,
        boolean decommission,
        Application application,
        Database database,
        Cache cache,
        Search search,
        Assets assets,
        Cdn cdn,
        Map<String, String> tags) {

    public EnvironmentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(availability, "availability");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(assets, "assets");
        Objects.requireNonNull(cdn, "cdn");
        tags = Map.copyOf(tags);
    }

    /** An inclusive min..max range of a scaled count. */
    public record Range(int min, int max) {
        public boolean contains(int value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return min + ".." + max;
        }
    }

    /** The application containers: image, web service, sandbox and cavalcade workers. */
    public record Application(String image, Web web, Sandbox sandbox, Range cavalcade) {}

    /** Autoscaled web containers on Fargate. */
    public record Web(int cpu, int memory, int min, int max) {
        public Range range() {
            return new Range(min, max);
        }
    }

    /** The maintenance container; only exists when enabled. */
    public record Sandbox(boolean enabled) {}

    /** Aurora MySQL: one writer, readers autoscaled within {@code readers}, optional proxy. */
    public record Database(String version, String instanceClass, Range readers, boolean proxy) {}

    /** ElastiCache Redis replication group. */
    public record Cache(String nodeType, int replicas) {}

    /** OpenSearch domain. */
    public record Search(String version, String instanceType, int nodes) {}

    /** The uploads bucket. */
    public record Assets(boolean versioning) {}

    /** The CloudFront distribution in front of everything. */
    public record Cdn(boolean enabled, List<String> aliases, String priceClass, int pageTtl, int assetTtl) {
        /** The asset TTL when a spec does not set one: a day. */
        public static final int DEFAULT_ASSET_TTL = 86_400;

        public Cdn {
            aliases = List.copyOf(aliases);
        }

        /** With the default asset TTL. */
        public Cdn(boolean enabled, List<String> aliases, String priceClass, int pageTtl) {
            this(enabled, aliases, priceClass, pageTtl, DEFAULT_ASSET_TTL);
        }
    }
}
