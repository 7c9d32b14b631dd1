package io.terrace.schema;

import java.util.EnumMap;
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
        Network network,
        Monitoring monitoring,
        Logs logs,
        Maintenance maintenance) {

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
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(maintenance, "maintenance");
    }

    /** A spec without a {@code maintenance} section: disruptive changes apply at once, AWS picks its windows. */
    public EnvironmentSpec(String name, String client, Tier tier, Stage stage, String region,
            Availability availability, boolean paused, DriftMode drift, boolean decommission,
            Application application, Database database, Cache cache, Search search, Assets assets, Cdn cdn,
            Map<String, String> tags, Network network, Monitoring monitoring, Logs logs) {
        this(name, client, tier, stage, region, availability, paused, drift, decommission, application, database,
                cache, search, assets, cdn, tags, network, monitoring, logs, Maintenance.NONE);
    }

    /** A spec without {@code network}, {@code monitoring} and {@code logs} sections: NAT egress, no alert subscribers, the tier's thresholds and log retention. */
    public EnvironmentSpec(String name, String client, Tier tier, Stage stage, String region,
            Availability availability, boolean paused, DriftMode drift, boolean decommission,
            Application application, Database database, Cache cache, Search search, Assets assets, Cdn cdn,
            Map<String, String> tags) {
        this(name, client, tier, stage, region, availability, paused, drift, decommission, application, database,
                cache, search, assets, cdn, tags, Network.DEFAULT, Monitoring.defaults(tier), Logs.of(tier));
    }

    /** This spec with another network section. */
    public EnvironmentSpec withNetwork(Network other) {
        return new EnvironmentSpec(name, client, tier, stage, region, availability, paused, drift, decommission,
                application, database, cache, search, assets, cdn, tags, other, monitoring, logs, maintenance);
    }

    /** This spec with another monitoring section. */
    public EnvironmentSpec withMonitoring(Monitoring other) {
        return new EnvironmentSpec(name, client, tier, stage, region, availability, paused, drift, decommission,
                application, database, cache, search, assets, cdn, tags, network, other, logs, maintenance);
    }

    /** This spec with another logs section. */
    public EnvironmentSpec withLogs(Logs other) {
        return new EnvironmentSpec(name, client, tier, stage, region, availability, paused, drift, decommission,
                application, database, cache, search, assets, cdn, tags, network, monitoring, other, maintenance);
    }

    /** This spec with another maintenance section. */
    public EnvironmentSpec withMaintenance(Maintenance other) {
        return new EnvironmentSpec(name, client, tier, stage, region, availability, paused, drift, decommission,
                application, database, cache, search, assets, cdn, tags, network, monitoring, logs, other);
    }

    /** This spec with another database section. */
    public EnvironmentSpec withDatabase(Database other) {
        return new EnvironmentSpec(name, client, tier, stage, region, availability, paused, drift, decommission,
                application, other, cache, search, assets, cdn, tags, network, monitoring, logs, maintenance);
    }

    /**
     * When Terrace makes disruptive changes ({@code maintenance.window}), and the window it sets on
     * RDS, ElastiCache and OpenSearch. Without one, everything applies at once, as before.
     */
    public record Maintenance(java.util.Optional<String> window) {
        public static final Maintenance NONE = new Maintenance(java.util.Optional.empty());

        /** The window of a valid spec (its rules checked the text). */
        public java.util.Optional<MaintenanceWindow> parsed() {
            return window.map(MaintenanceWindow::of);
        }
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

    /**
     * The application containers: image, web service, sandbox and cavalcade workers, and whether
     * the web tasks carry the APM collector sidecar ({@code apm}, off by default).
     */
    public record Application(String image, Web web, Sandbox sandbox, Range cavalcade, boolean apm) {

        public Application(String image, Web web, Sandbox sandbox, Range cavalcade) {
            this(image, web, sandbox, cavalcade, false);
        }
    }

    /** Autoscaled web containers on Fargate. */
    public record Web(int cpu, int memory, int min, int max) {
        public Range range() {
            return new Range(min, max);
        }
    }

    /** The maintenance container; only exists when enabled. */
    public record Sandbox(boolean enabled) {}

    /** Aurora MySQL: one writer, readers autoscaled within {@code readers}, optional proxy. */
    /**
     * @param restoreFrom a cluster snapshot identifier, or another environment's name (its newest
     *                    snapshot), the new cluster is restored from; ignored once the cluster exists
     */
    public record Database(String version, String instanceClass, Range readers, boolean proxy,
                           java.util.Optional<String> restoreFrom) {
        public Database(String version, String instanceClass, Range readers, boolean proxy) {
            this(version, instanceClass, readers, proxy, java.util.Optional.empty());
        }
    }

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

    /** The network's choices: how the private subnets reach out. */
    public record Network(Egress egress) {
        /** What a spec without a {@code network} section gets. */
        public static final Network DEFAULT = new Network(Egress.NAT);

        public Network {
            Objects.requireNonNull(egress, "egress");
        }
    }

    /**
     * Who is alerted (e-mail addresses and HTTPS endpoints subscribed to the environment's topic)
     * and the threshold of every alarm, the tier's default where the spec sets none.
     */
    public record Monitoring(List<String> alerts, Map<Threshold, Double> thresholds) {
        public Monitoring {
            alerts = List.copyOf(alerts);
            EnumMap<Threshold, Double> all = new EnumMap<>(Threshold.class);
            all.putAll(thresholds);
            for (Threshold t : Threshold.values()) {
                if (!all.containsKey(t)) {
                    throw new IllegalArgumentException("threshold " + t.key() + " missing");
                }
            }
            thresholds = java.util.Collections.unmodifiableMap(all);
        }

        /** No subscribers and {@code tier}'s default thresholds. */
        public static Monitoring defaults(Tier tier) {
            return new Monitoring(List.of(), tierDefaults(tier));
        }

        /** Every threshold at {@code tier}'s default. */
        public static Map<Threshold, Double> tierDefaults(Tier tier) {
            Map<Threshold, Double> out = new EnumMap<>(Threshold.class);
            for (Threshold t : Threshold.values()) {
                out.put(t, t.defaultFor(tier));
            }
            return out;
        }

        public double threshold(Threshold t) {
            return thresholds.get(t);
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
