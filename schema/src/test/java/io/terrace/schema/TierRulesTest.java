package io.terrace.schema;

import static io.terrace.schema.SpecFixtures.REMOVE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of spec v1 (BRIEF section 2), each with a passing and a failing case. A case names
 * the tier and stage of a minimal valid spec, the keys it changes, and either "valid" or a part
 * of the one message the change must produce.
 */
class TierRulesTest {

    private static final String VALID = "valid";

    /** A case: why it exists, the spec it builds, what validation must say. */
    record Case(String reason, String tier, String stage, Map<String, Object> overrides, String expected) {
        @Override
        public String toString() {
            return reason;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        // Stages allowed.
        c.add(ok("developer runs development", "developer", "development", Map.of()));
        c.add(bad("developer has no staging", "developer", "staging", Map.of(),
                "stage is 'staging'; tier developer allows only development"));
        c.add(bad("developer has no production", "developer", "production", Map.of(),
                "tier developer allows only development"));
        for (String tier : List.of("standard", "business", "enterprise")) {
            for (String stage : List.of("development", "staging", "production")) {
                c.add(ok(tier + " allows stage " + stage, tier, stage, Map.of()));
            }
        }
        // Availability multi-az.
        c.add(ok("single-az is allowed everywhere", "developer", "development", Map.of("availability", "single-az")));
        c.add(bad("developer has no multi-az", "developer", "development", ha(),
                "availability is 'multi-az'; tier developer allows only single-az"));
        c.add(bad("standard has no multi-az", "standard", "production", ha(),
                "availability is 'multi-az'; tier standard allows only single-az"));
        c.add(ok("business production may be multi-az", "business", "production", ha()));
        c.add(bad("business multi-az is production only", "business", "staging", ha(),
                "availability is multi-az but stage is staging; tier business allows multi-az only on stage production"));
        c.add(ok("enterprise production may be multi-az", "enterprise", "production", ha()));
        c.add(bad("enterprise multi-az is production only", "enterprise", "development", ha(),
                "tier enterprise allows multi-az only on stage production"));
        // Multi-az needs redundant servers.
        c.add(bad("multi-az needs a reader", "business", "production", ha("database.readers.min", 0),
                "database.readers.min is 0; availability multi-az needs redundant servers in separate zones: at least 1 reader"));
        c.add(bad("multi-az reader minimum counts the default", "business", "production",
                ha("database.readers", REMOVE), "database.readers.min is 0 (default)"));
        c.add(bad("multi-az needs a cache replica", "business", "production", ha("cache.replicas", 0),
                "cache.replicas is 0; availability multi-az needs redundant servers in separate zones: at least 1 replica"));
        c.add(bad("multi-az needs two search nodes", "enterprise", "production", ha("search.nodes", 1),
                "search.nodes is 1; tier enterprise requires at least 2"));
        c.add(ok("multi-az with 1 reader, 1 replica, 2 nodes", "enterprise", "production", ha("search.nodes", 2)));
        // Per-tier maxima: web, cavalcade, readers, replicas, aliases.
        limit(c, "application.web.max", Map.of("developer", 2, "standard", 10, "business", 50, "enterprise", 200));
        limit(c, "application.cavalcade.max", Map.of("developer", 2, "standard", 5, "business", 20, "enterprise", 100));
        limit(c, "database.readers.max", Map.of("developer", 0, "standard", 1, "business", 5, "enterprise", 15));
        limit(c, "cache.replicas", Map.of("developer", 0, "standard", 0, "business", 2, "enterprise", 5));
        limit(c, "search.nodes", Map.of("developer", 1, "standard", 2, "business", 6, "enterprise", 20));
        for (var e : Map.of("developer", 2, "standard", 10, "business", 50, "enterprise", 100).entrySet()) {
            c.add(ok(e.getKey() + " allows " + e.getValue() + " CDN aliases", e.getKey(), stage(e.getKey()),
                    Map.of("cdn.aliases", aliases(e.getValue()))));
            c.add(bad(e.getKey() + " allows no more than " + e.getValue() + " CDN aliases", e.getKey(), stage(e.getKey()),
                    Map.of("cdn.aliases", aliases(e.getValue() + 1)),
                    "cdn.aliases has " + (e.getValue() + 1) + " entries; tier " + e.getKey() + " allows at most " + e.getValue()));
        }
        // Search node minima.
        c.add(bad("business needs two search nodes", "business", "production", Map.of("search.nodes", 1),
                "search.nodes is 1; tier business requires at least 2"));
        c.add(ok("standard may run one search node", "standard", "production", Map.of("search.nodes", 1)));
        // Database proxy.
        c.add(bad("developer has no proxy", "developer", "development", Map.of("database.proxy", true),
                "database.proxy is true; tier developer has no database proxy"));
        c.add(bad("standard has no proxy", "standard", "production", Map.of("database.proxy", true),
                "database.proxy is true; tier standard has no database proxy"));
        c.add(ok("business may have a proxy", "business", "production", Map.of("database.proxy", true)));
        c.add(ok("enterprise may have a proxy", "enterprise", "production", Map.of("database.proxy", true)));
        c.add(ok("no proxy is always fine", "developer", "development", Map.of("database.proxy", false)));
        // Database instance classes.
        c.add(ok("developer runs db.t4g.medium", "developer", "development", Map.of("database.instanceClass", "db.t4g.medium")));
        c.add(bad("developer runs nothing larger", "developer", "development", Map.of("database.instanceClass", "db.t4g.large"),
                "database.instanceClass is 'db.t4g.large'; tier developer allows only db.t4g.medium"));
        for (String cls : List.of("db.t4g.medium", "db.t4g.large", "db.r6g.large")) {
            c.add(ok("standard runs " + cls, "standard", "production", Map.of("database.instanceClass", cls)));
        }
        c.add(bad("standard stops at db.r6g.large", "standard", "production", Map.of("database.instanceClass", "db.r6g.xlarge"),
                "tier standard allows db.t4g.medium, db.t4g.large, db.r6g.large"));
        for (String cls : List.of("db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge")) {
            c.add(ok("business runs " + cls, "business", "production", Map.of("database.instanceClass", cls)));
        }
        c.add(bad("business stops at db.r6g.4xlarge", "business", "production", Map.of("database.instanceClass", "db.r6g.8xlarge"),
                "database.instanceClass is 'db.r6g.8xlarge'; tier business allows db.r6g.large, db.r6g.xlarge, db.r6g.2xlarge, db.r6g.4xlarge"));
        c.add(bad("business has no burstable classes", "business", "production", Map.of("database.instanceClass", "db.t4g.medium"),
                "tier business allows db.r6g.large"));
        for (String cls : List.of("db.r6g.large", "db.r6g.16xlarge", "db.r7g.large", "db.r7g.12xlarge")) {
            c.add(ok("enterprise runs " + cls, "enterprise", "production", Map.of("database.instanceClass", cls)));
        }
        c.add(bad("enterprise runs only r6g and r7g", "enterprise", "production", Map.of("database.instanceClass", "db.r5.large"),
                "database.instanceClass is 'db.r5.large'; expected a db.r6g.* or db.r7g.* class"));
        c.add(bad("enterprise has no burstable classes", "enterprise", "production", Map.of("database.instanceClass", "db.t4g.medium"),
                "expected a db.r6g.* or db.r7g.* class"));
        // CDN off: enterprise only.
        for (String tier : List.of("developer", "standard", "business")) {
            c.add(bad(tier + " always has the CDN", tier, stage(tier), Map.of("cdn.enabled", false),
                    "cdn.enabled is false; tier " + tier + " always has the CDN; only enterprise may turn it off"));
        }
        c.add(ok("enterprise may turn the CDN off", "enterprise", "production", Map.of("cdn.enabled", false)));
        // min <= max and minima.
        c.add(ok("web min equal to max", "standard", "production", Map.of("application.web.min", 3, "application.web.max", 3)));
        c.add(bad("web min above max", "standard", "production", Map.of("application.web.min", 5, "application.web.max", 3),
                "application.web.min is 5 but application.web.max is 3; min must not exceed max"));
        c.add(bad("web min above the default max", "standard", "production", Map.of("application.web.min", 4),
                "application.web.min is 4 but application.web.max is 2 (default); min must not exceed max"));
        c.add(bad("cavalcade min above max", "standard", "production", Map.of("application.cavalcade", Map.of("min", 3, "max", 2)),
                "application.cavalcade.min is 3 but application.cavalcade.max is 2; min must not exceed max"));
        c.add(bad("readers min above max", "business", "production", Map.of("database.readers", Map.of("min", 3, "max", 2)),
                "database.readers.min is 3 but database.readers.max is 2; min must not exceed max"));
        c.add(bad("web needs at least one container", "standard", "production", Map.of("application.web.min", 0),
                "application.web.min is 0; must be at least 1"));
        c.add(ok("cavalcade may scale to zero", "standard", "production", Map.of("application.cavalcade", Map.of("min", 0, "max", 1))));
        c.add(bad("cavalcade min is not negative", "standard", "production", Map.of("application.cavalcade.min", -1),
                "application.cavalcade.min is -1; must be at least 0"));
        c.add(ok("readers may be zero", "business", "production", Map.of("database.readers", Map.of("min", 0, "max", 2))));
        c.add(bad("readers min is not negative", "business", "production", Map.of("database.readers.min", -1),
                "database.readers.min is -1; must be at least 0"));
        // Fargate CPU/memory pairs.
        fargate(c, 256, List.of(512, 1024, 2048), List.of(1536, 4096), "512, 1024 or 2048");
        fargate(c, 512, List.of(1024, 2048, 4096), List.of(512, 1536, 5120), "1024 to 4096 in steps of 1024");
        fargate(c, 1024, List.of(2048, 5120, 8192), List.of(1024, 2500, 9216), "2048 to 8192 in steps of 1024");
        fargate(c, 2048, List.of(4096, 16384), List.of(3072, 17408), "4096 to 16384 in steps of 1024");
        fargate(c, 4096, List.of(8192, 30720), List.of(7168, 31744), "8192 to 30720 in steps of 1024");
        fargate(c, 8192, List.of(16384, 20480, 61440), List.of(17408, 65536), "16384 to 61440 in steps of 4096");
        fargate(c, 16384, List.of(32768, 40960, 122880), List.of(36864, 131072), "32768 to 122880 in steps of 8192");
        c.add(bad("cpu is a Fargate size", "enterprise", "production", Map.of("application.web.cpu", 300, "application.web.memory", 1024),
                "application.web.cpu is 300; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384"));
        // Image.
        c.add(ok("image with a tag", "developer", "development", Map.of("application.image", "app:1.2.3")));
        c.add(ok("image with a registry port and a tag", "developer", "development",
                Map.of("application.image", "registry.example.com:5000/acme/app:1.2.3")));
        c.add(ok("image with a digest", "developer", "development",
                Map.of("application.image", "registry.example.com/acme/app@sha256:" + "a".repeat(64))));
        c.add(bad("image needs a tag or digest", "developer", "development", Map.of("application.image", "registry.example.com/acme/app"),
                "application.image 'registry.example.com/acme/app' has no tag or digest"));
        c.add(bad("a registry port is not a tag", "developer", "development", Map.of("application.image", "registry.example.com:5000/app"),
                "has no tag or digest"));
        c.add(bad("latest is refused", "developer", "development", Map.of("application.image", "registry.example.com/acme/app:latest"),
                "uses the tag 'latest', which is refused"));
        c.add(bad("a digest is hex", "developer", "development", Map.of("application.image", "app@sha256:xyz"),
                "has a malformed digest"));
        // Tags.
        c.add(ok("ordinary tag keys", "developer", "development", Map.of("tags", Map.of("cost-centre", "web", "team/owner", "x"))));
        c.add(bad("terrace: prefix is reserved", "developer", "development", Map.of("tags", Map.of("terrace:owner", "x")),
                "tag key 'terrace:owner' uses the reserved prefix 'terrace:'"));
        c.add(bad("aws: prefix is reserved", "developer", "development", Map.of("tags", Map.of("aws:cloudformation", "x")),
                "tag key 'aws:cloudformation' uses the reserved prefix 'aws:'"));
        c.add(bad("reserved prefixes ignore case", "developer", "development", Map.of("tags", Map.of("AWS:x", "x")),
                "uses the reserved prefix 'aws:'"));
        c.add(bad("tag values are strings", "developer", "development", Map.of("tags", Map.of("cost-centre", 42)),
                "tags.cost-centre must be a string, not an integer (42); quote it: \"42\""));
        // Names, client, enums and ranges of the base schema.
        c.add(bad("name is lowercase", "developer", "development", Map.of("name", "Acme-Dev"),
                "name is 'Acme-Dev'; expected 3 to 40 lowercase letters"));
        c.add(bad("client is lowercase", "developer", "development", Map.of("client", "Acme"),
                "client is 'Acme'; expected 2 to 32 lowercase letters"));
        c.add(bad("tier is one of four", "developer", "development", Map.of("tier", "gold"),
                "tier is 'gold'; allowed: developer, standard, business, enterprise"));
        c.add(bad("stage is one of three", "standard", "production", Map.of("stage", "prod"),
                "stage is 'prod'; allowed: development, staging, production"));
        c.add(ok("drift may be report", "developer", "development", Map.of("drift", "report")));
        c.add(bad("drift is correct or report", "developer", "development", Map.of("drift", "ignore"),
                "drift is 'ignore'; allowed: correct, report"));
        c.add(bad("apiVersion is terrace/v1", "developer", "development", Map.of("apiVersion", "terrace/v2"),
                "apiVersion is 'terrace/v2'; must be terrace/v1"));
        c.add(bad("kind is Environment", "developer", "development", Map.of("kind", "Cluster"),
                "kind is 'Cluster'; must be Environment"));
        c.add(bad("region looks like a region", "developer", "development", Map.of("region", "Ireland"),
                "region is 'Ireland'; expected an AWS region such as eu-west-1"));
        // Log retention: one of the values CloudWatch Logs accepts.
        c.add(ok("log retention may be two weeks", "developer", "development", Map.of("logs.retentionDays", 14)));
        c.add(ok("log retention may be ten years", "enterprise", "production", Map.of("logs.retentionDays", 3653)));
        c.add(bad("log retention is a CloudWatch value", "standard", "production", Map.of("logs.retentionDays", 10),
                "logs.retentionDays is 10; allowed: 1, 3, 5, 7, 14, 30"));
        c.add(bad("logs has no other fields", "standard", "production", Map.of("logs.kmsKey", "x"),
                "unknown key 'kmsKey' in logs; allowed keys: retentionDays"));
        c.add(ok("page TTL may be zero", "developer", "development", Map.of("cdn.pageTtl", 0)));
        c.add(ok("page TTL may be a day", "developer", "development", Map.of("cdn.pageTtl", 86400)));
        c.add(bad("page TTL is at most a day", "developer", "development", Map.of("cdn.pageTtl", 86401),
                "cdn.pageTtl is 86401; at most 86400 allowed"));
        c.add(ok("asset TTL may be a year", "developer", "development", Map.of("cdn.assetTtl", 31536000)));
        c.add(bad("asset TTL is at most a year", "developer", "development", Map.of("cdn.assetTtl", 31536001),
                "cdn.assetTtl is 31536001; at most 31536000 allowed"));
        c.add(bad("asset TTL is not negative", "developer", "development", Map.of("cdn.assetTtl", -1),
                "cdn.assetTtl is -1; must be at least 0"));
        c.add(bad("price class is a CloudFront one", "developer", "development", Map.of("cdn.priceClass", "PriceClass_300"),
                "cdn.priceClass is 'PriceClass_300'; allowed: PriceClass_100, PriceClass_200, PriceClass_All"));
        c.add(bad("aliases are host names", "developer", "development", Map.of("cdn.aliases", List.of("https://x.example")),
                "cdn.aliases[0] is 'https://x.example'; expected a lowercase host name"));
        c.add(bad("aliases are listed once", "developer", "development", Map.of("cdn.aliases", List.of("a.example", "a.example")),
                "cdn.aliases lists 'a.example' more than once"));
        // Network egress.
        for (String tier : List.of("developer", "standard", "business", "enterprise")) {
            String stage = tier.equals("developer") ? "development" : "production";
            c.add(ok(tier + " may choose VPC endpoints", tier, stage, Map.of("network.egress", "endpoints")));
            c.add(ok(tier + " may choose NAT gateways", tier, stage, Map.of("network.egress", "nat")));
        }
        c.add(bad("egress is nat or endpoints", "standard", "production", Map.of("network.egress", "gateway"),
                "network.egress is 'gateway'; allowed: nat, endpoints"));
        c.add(bad("network has only egress", "standard", "production", Map.of("network.nat", 2),
                "unknown key 'nat' in network"));
        c.add(bad("database version is 8.0", "developer", "development", Map.of("database.version", "5.7"),
                "database.version is '5.7'; must be 8.0"));
        // Monitoring: alert subscribers and alarm thresholds.
        c.add(ok("alerts go to e-mail addresses and https endpoints", "business", "production",
                Map.of("monitoring.alerts", List.of("ops@acme.example", "https://hooks.example.com/terrace?k=1"))));
        c.add(bad("an alert is an e-mail address or https URL", "business", "production",
                Map.of("monitoring.alerts", List.of("ops.acme.example")),
                "monitoring.alerts[0] is 'ops.acme.example'; expected an e-mail address such as ops@acme.example or an https:// URL"));
        c.add(bad("plain http endpoints are refused", "business", "production",
                Map.of("monitoring.alerts", List.of("http://hooks.example.com/terrace")),
                "monitoring.alerts[0] is 'http://hooks.example.com/terrace'; expected an e-mail address"));
        c.add(bad("an alert is listed once", "business", "production",
                Map.of("monitoring.alerts", List.of("ops@acme.example", "ops@acme.example")),
                "monitoring.alerts lists 'ops@acme.example' more than once"));
        c.add(bad("at most 20 alert subscribers", "business", "production",
                Map.of("monitoring.alerts", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "ops" + i + "@acme.example").toList()),
                "monitoring.alerts has 21 entries"));
        c.add(ok("a threshold may be overridden", "standard", "production", Map.of("monitoring.thresholds.webCpuPercent", 70)));
        c.add(ok("a threshold may be a fraction", "standard", "production", Map.of("monitoring.thresholds.responseTimeSeconds", 0.75)));
        c.add(bad("a percentage is at most 100", "standard", "production", Map.of("monitoring.thresholds.webCpuPercent", 120),
                "monitoring.thresholds.webCpuPercent is 120; at most 100 allowed"));
        c.add(bad("a percentage is at least 1", "standard", "production", Map.of("monitoring.thresholds.cacheMemoryPercent", 0),
                "monitoring.thresholds.cacheMemoryPercent is 0; must be at least 1"));
        c.add(bad("a threshold is a number", "standard", "production", Map.of("monitoring.thresholds.webCpuPercent", "80%"),
                "monitoring.thresholds.webCpuPercent must be a number, not a string"));
        c.add(bad("connection counts are whole numbers", "business", "production",
                Map.of("monitoring.thresholds.databaseConnections", 10.5),
                "monitoring.thresholds.databaseConnections must be an integer"));
        c.add(bad("unknown thresholds are refused with a suggestion", "standard", "production",
                Map.of("monitoring.thresholds.webCpuPercents", 70),
                "unknown key 'webCpuPercents' in monitoring.thresholds; did you mean 'webCpuPercent'?"));
        // Required keys and unknown keys.
        c.add(bad("image is required", "developer", "development", Map.of("application.image", REMOVE),
                "missing required key 'image' in application"));
        c.add(bad("region is required", "developer", "development", Map.of("region", REMOVE),
                "missing required key 'region'"));
        c.add(bad("unknown top-level key", "developer", "development", Map.of("replicas", 2),
                "unknown key 'replicas' at the top level; allowed keys: apiVersion, kind, name"));
        c.add(bad("misspelt key gets a suggestion", "developer", "development", Map.of("application.web.mx", 2),
                "unknown key 'mx' in application.web; did you mean 'max'?"));
        c.add(bad("misspelt section gets a suggestion", "developer", "development", Map.of("databse", Map.of()),
                "unknown key 'databse' at the top level; did you mean 'database'?"));
        // Types.
        c.add(bad("counts are integers, not strings", "developer", "development", Map.of("application.web.max", "2"),
                "application.web.max must be an integer, not a string ('2')"));
        c.add(bad("counts are integers, not fractions", "developer", "development", Map.of("application.web.max", 1.5),
                "application.web.max must be an integer, not a number (1.5); sizes and counts are whole numbers"));
        c.add(bad("counts are integers, not floats", "developer", "development", Map.of("application.web.max", 2.0),
                "application.web.max is 2.0; sizes and counts are whole numbers (write 2)"));
        c.add(bad("booleans are booleans", "developer", "development", Map.of("paused", "yes"),
                "paused must be a boolean, not a string ('yes')"));
        c.add(bad("sections are mappings", "developer", "development", Map.of("cache", List.of(1)),
                "cache must be a mapping, not a list"));
        c.add(bad("a number where a string goes", "developer", "development", Map.of("database.version", 8.0),
                "database.version must be a string, not a number (8.0); quote it: \"8.0\""));
        return c.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void enforcesRule(Case c) {
        String yaml = SpecFixtures.yaml(SpecFixtures.spec("acme-test", c.tier(), c.stage(), c.overrides()));
        SpecResult result = SpecFixtures.load("acme-test.yaml", yaml);
        if (c.expected().equals(VALID)) {
            SpecFixtures.valid(result);
            return;
        }
        List<Diagnostic> diagnostics = SpecFixtures.diagnostics(result);
        assertTrue(diagnostics.stream().anyMatch(d -> d.message().contains(c.expected())),
                () -> "expected a message containing\n  " + c.expected() + "\ngot\n  " + diagnostics + "\nfor\n" + yaml);
        assertTrue(diagnostics.stream().allMatch(d -> d.file().equals("environments/acme-test.yaml") && d.line() > 0),
                () -> "every diagnostic names the file and a line: " + diagnostics);
    }

    private static Case ok(String reason, String tier, String stage, Map<String, Object> overrides) {
        return new Case(reason, tier, stage, overrides, VALID);
    }

    private static Case bad(String reason, String tier, String stage, Map<String, Object> overrides, String expected) {
        return new Case(reason, tier, stage, overrides, expected);
    }

    /** Overrides that make a spec highly available, plus {@code extra}. */
    private static Map<String, Object> ha(Object... extra) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("availability", "multi-az");
        o.put("database.readers", new LinkedHashMap<>(Map.of("min", 1, "max", 1)));
        o.put("cache.replicas", 1);
        for (int i = 0; i < extra.length; i += 2) {
            o.put((String) extra[i], extra[i + 1]);
        }
        return o;
    }

    private static String stage(String tier) {
        return tier.equals("developer") ? "development" : "production";
    }

    private static void limit(List<Case> c, String path, Map<String, Integer> maxima) {
        for (var e : maxima.entrySet()) {
            String tier = e.getKey();
            int max = e.getValue();
            Map<String, Object> atLimit = new LinkedHashMap<>(Map.of(path, max));
            Map<String, Object> over = new LinkedHashMap<>(Map.of(path, max + 1));
            if (path.equals("application.web.max") || path.equals("application.cavalcade.max")) {
                String min = path.replace(".max", ".min");
                atLimit.put(min, 1);
                over.put(min, 1);
            }
            c.add(ok(tier + " allows " + path + " " + max, tier, stage(tier), atLimit));
            c.add(bad(tier + " allows no more than " + max + " for " + path, tier, stage(tier), over,
                    path + " is " + (max + 1) + "; tier " + tier + " allows at most " + max));
        }
    }

    private static void fargate(List<Case> c, int cpu, List<Integer> good, List<Integer> badMemory, String allowed) {
        for (int memory : good) {
            c.add(ok("Fargate allows cpu " + cpu + " with memory " + memory, "enterprise", "production",
                    Map.of("application.web.cpu", cpu, "application.web.memory", memory)));
        }
        for (int memory : badMemory) {
            c.add(bad("Fargate refuses cpu " + cpu + " with memory " + memory, "enterprise", "production",
                    Map.of("application.web.cpu", cpu, "application.web.memory", memory),
                    "application.web.memory is " + memory + "; with cpu " + cpu + " Fargate allows memory " + allowed));
        }
    }

    private static List<String> aliases(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("www" + i + ".acme.example");
        }
        return Collections.unmodifiableList(out);
    }
}
