package io.terrace.planner;

import io.terrace.schema.Availability;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random specs that respect the tier limits of BRIEF §2, reproducible from a seed. */
final class SpecGenerator {

    private static final int[][] FARGATE = {{256, 512}, {512, 1024}, {1024, 2048}, {2048, 4096}, {4096, 8192}};

    private final Random random;

    SpecGenerator(long seed) {
        this.random = new Random(seed);
    }

    EnvironmentSpec next(String name) {
        Tier tier = Tier.values()[random.nextInt(Tier.values().length)];
        SpecFixture f = SpecFixture.env(name);
        f.tier = tier;
        f.stage = tier == Tier.DEVELOPER ? Stage.DEVELOPMENT : Stage.values()[random.nextInt(3)];
        boolean multiAz = (tier == Tier.BUSINESS || tier == Tier.ENTERPRISE) && f.stage == Stage.PRODUCTION
                && random.nextBoolean();
        f.availability = multiAz ? Availability.MULTI_AZ : Availability.SINGLE_AZ;
        int[] size = FARGATE[random.nextInt(FARGATE.length)];
        f.webCpu = size[0];
        f.webMemory = size[1];
        int webMax = switch (tier) { case DEVELOPER -> 2; case STANDARD -> 10; case BUSINESS -> 50; case ENTERPRISE -> 200; };
        int cavMax = switch (tier) { case DEVELOPER -> 2; case STANDARD -> 5; case BUSINESS -> 20; case ENTERPRISE -> 100; };
        int readersMax = switch (tier) { case DEVELOPER -> 0; case STANDARD -> 1; case BUSINESS -> 5; case ENTERPRISE -> 15; };
        int replicasMax = switch (tier) { case DEVELOPER, STANDARD -> 0; case BUSINESS -> 2; case ENTERPRISE -> 5; };
        int nodesMin = tier == Tier.BUSINESS || tier == Tier.ENTERPRISE ? 2 : 1;
        int nodesMax = switch (tier) { case DEVELOPER -> 1; case STANDARD -> 2; case BUSINESS -> 6; case ENTERPRISE -> 20; };
        int aliasesMax = switch (tier) { case DEVELOPER -> 2; case STANDARD -> 10; case BUSINESS -> 50; case ENTERPRISE -> 100; };
        f.web = range(1, webMax);
        f.cavalcade = range(0, cavMax);
        f.sandbox = random.nextBoolean();
        f.readers = range(multiAz ? 1 : 0, Math.max(readersMax, multiAz ? 1 : 0));
        f.proxy = (tier == Tier.BUSINESS || tier == Tier.ENTERPRISE) && random.nextBoolean();
        f.dbClass = switch (tier) {
            case DEVELOPER -> "db.t4g.medium";
            case STANDARD -> pick("db.t4g.medium", "db.t4g.large", "db.r6g.large");
            case BUSINESS -> pick("db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge");
            case ENTERPRISE -> pick("db.r6g.8xlarge", "db.r7g.large", "db.r7g.16xlarge");
        };
        f.replicas = between(multiAz ? 1 : 0, Math.max(replicasMax, multiAz ? 1 : 0));
        f.searchNodes = between(multiAz ? Math.max(2, nodesMin) : nodesMin, nodesMax);
        f.versioning = random.nextBoolean();
        // Derived, not drawn, so the random sequence (and every spec generated after) stays as it was.
        f.apm = f.sandbox != f.versioning;
        f.cdn = tier != Tier.ENTERPRISE || random.nextInt(4) > 0;
        List<String> aliases = new ArrayList<>();
        int n = between(0, Math.min(aliasesMax, 5));
        for (int i = 0; i < n; i++) {
            aliases.add("www" + i + "." + name + ".example");
        }
        f.aliases = aliases;
        f.priceClass = pick("PriceClass_100", "PriceClass_200", "PriceClass_All");
        f.pageTtl = between(0, 86_400);
        f.paused = random.nextInt(20) == 0;
        f.tags = random.nextBoolean() ? Map.of("cost-centre", "cc" + random.nextInt(9)) : Map.of();
        return f.build();
    }

    private Range range(int lowest, int highest) {
        int a = between(lowest, highest);
        int b = between(lowest, highest);
        return new Range(Math.min(a, b), Math.max(a, b));
    }

    private int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
