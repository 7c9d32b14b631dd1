package io.terrace.planner;

import io.terrace.schema.Availability;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecResult;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Map;

/** Builds valid {@link EnvironmentSpec}s in Java, defaults as the loader would apply them. */
final class SpecFixture {

    String name;
    Tier tier = Tier.STANDARD;
    Stage stage = Stage.STAGING;
    Availability availability = Availability.SINGLE_AZ;
    boolean paused;
    DriftMode drift = DriftMode.CORRECT;
    boolean decommission;
    String image = "registry.example.com/acme/app:1.42.0";
    int webCpu = 512;
    int webMemory = 1024;
    Range web = new Range(1, 4);
    boolean sandbox = true;
    boolean apm;
    Range cavalcade = new Range(1, 3);
    String dbClass = "db.t4g.medium";
    Range readers = new Range(0, 1);
    boolean proxy;
    String cacheNode = "cache.t4g.small";
    int replicas;
    int searchNodes = 1;
    boolean versioning = true;
    boolean cdn = true;
    List<String> aliases = List.of();
    String priceClass = "PriceClass_100";
    int pageTtl = 300;
    Map<String, String> tags = Map.of();
    io.terrace.schema.Egress egress = io.terrace.schema.Egress.NAT;

    private SpecFixture(String name) {
        this.name = name;
        this.aliases = List.of("www." + name + ".example");
    }

    static SpecFixture env(String name) {
        return new SpecFixture(name);
    }

    /** A business production environment across two zones, with every optional part. */
    static SpecFixture highlyAvailable(String name) {
        SpecFixture f = env(name);
        f.tier = Tier.BUSINESS;
        f.stage = Stage.PRODUCTION;
        f.availability = Availability.MULTI_AZ;
        f.web = new Range(2, 20);
        f.webCpu = 1024;
        f.webMemory = 2048;
        f.cavalcade = new Range(1, 10);
        f.dbClass = "db.r6g.large";
        f.readers = new Range(1, 4);
        f.proxy = true;
        f.cacheNode = "cache.r6g.large";
        f.replicas = 1;
        f.searchNodes = 2;
        return f;
    }

    SpecFixture with(java.util.function.Consumer<SpecFixture> change) {
        change.accept(this);
        return this;
    }

    EnvironmentSpec build() {
        return new EnvironmentSpec(name, name.split("-")[0], tier, stage, "eu-west-1", availability, paused, drift,
                decommission,
                new EnvironmentSpec.Application(image, new EnvironmentSpec.Web(webCpu, webMemory, web.min(), web.max()),
                        new EnvironmentSpec.Sandbox(sandbox), cavalcade, apm),
                new EnvironmentSpec.Database("8.0", dbClass, readers, proxy),
                new EnvironmentSpec.Cache(cacheNode, replicas),
                new EnvironmentSpec.Search("OpenSearch_2.13", "t3.small.search", searchNodes),
                new EnvironmentSpec.Assets(versioning),
                new EnvironmentSpec.Cdn(cdn, aliases, priceClass, pageTtl),
                tags, new EnvironmentSpec.Network(egress), EnvironmentSpec.Monitoring.defaults(tier),
                EnvironmentSpec.Logs.of(tier));
    }

    SpecResult.Valid result() {
        return new SpecResult.Valid(name, "environments/" + name + ".yaml", build());
    }
}
