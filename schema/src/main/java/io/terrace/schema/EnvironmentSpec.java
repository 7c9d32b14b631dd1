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
        Map<String, String> tags,
        Logs logs) {

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
        Objects.requireNonNull(logs, "logs");
    }

    /** A spec without a {@code logs} section: the tier's log retention. */
    public EnvironmentSpec(String name, String client, Tier tier, Stage stage, String region,
            Availability availability, boolean paused, DriftMode drift, boolean decommission,
            Application application, Database database, Cache cache, Search search, Assets assets, Cdn cdn,
            Map<String, String> tags) {
        this(name, client, tier, stage, region, availability, paused, drift, decommission, application, database,
                cache, search, assets, cdn, tags, Logs.of(tier));
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
    public record Cdn(boolean enabled, List<String> aliases, String priceClass, int pageTtl) {
        public Cdn {
            aliases = List.copyOf(aliases);
        }
    }

    /** The containers' CloudWatch Logs groups: how many days they keep log events. */
    public record Logs(int retentionDays) {
        /** The tier's retention: developer 7, standard 30, business 90, enterprise 365 days. */
        public static Logs of(Tier tier) {
            return new Logs(switch (tier) {
                case DEVELOPER -> 7;
                case STANDARD -> 30;
                case BUSINESS -> 90;
                case ENTERPRISE -> 365;
            });
        }
    }
}
