package io.terrace.reconciler.aws;

import io.terrace.schema.Availability;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Map;

/** Specs for integration tests, as the schema loader would produce them (defaults applied). */
final class TestSpecs {

    private TestSpecs() {}

    static EnvironmentSpec standard(String name) {
        return new EnvironmentSpec(name, "acme", Tier.STANDARD, Stage.STAGING, "eu-west-1", Availability.SINGLE_AZ,
                false, DriftMode.CORRECT, false,
                new EnvironmentSpec.Application("registry.example.com/acme/app:1.42.0",
                        new EnvironmentSpec.Web(1024, 2048, 2, 10),
                        new EnvironmentSpec.Sandbox(true), new Range(1, 5)),
                new EnvironmentSpec.Database("8.0", "db.t4g.medium", new Range(0, 1), false),
                new EnvironmentSpec.Cache("cache.t4g.small", 0),
                new EnvironmentSpec.Search("OpenSearch_2.13", "t3.small.search", 1),
                new EnvironmentSpec.Assets(true),
                new EnvironmentSpec.Cdn(true, List.of("www." + name + ".example"), "PriceClass_100", 300),
                Map.of("cost-centre", "web"));
    }

    static EnvironmentSpec businessProduction(String name) {
        EnvironmentSpec s = standard(name);
        return new EnvironmentSpec(name, s.client(), Tier.BUSINESS, Stage.PRODUCTION, s.region(), Availability.MULTI_AZ,
                false, DriftMode.CORRECT, false,
                new EnvironmentSpec.Application(s.application().image(), new EnvironmentSpec.Web(2048, 4096, 2, 20),
                        new EnvironmentSpec.Sandbox(false), new Range(1, 10)),
                new EnvironmentSpec.Database("8.0", "db.r6g.large", new Range(1, 4), true),
                new EnvironmentSpec.Cache("cache.r6g.large", 1),
                new EnvironmentSpec.Search("OpenSearch_2.13", "m6g.large.search", 2),
                new EnvironmentSpec.Assets(true), s.cdn(), Map.of());
    }

    static EnvironmentSpec withWeb(EnvironmentSpec s, int min, int max) {
        var app = s.application();
        return with(s, new EnvironmentSpec.Application(app.image(),
                new EnvironmentSpec.Web(app.web().cpu(), app.web().memory(), min, max), app.sandbox(), app.cavalcade()),
                s.assets());
    }

    static EnvironmentSpec withImage(EnvironmentSpec s, String image) {
        var app = s.application();
        return with(s, new EnvironmentSpec.Application(image, app.web(), app.sandbox(), app.cavalcade()), s.assets());
    }

    static EnvironmentSpec withApm(EnvironmentSpec s, boolean apm) {
        var app = s.application();
        return with(s, new EnvironmentSpec.Application(app.image(), app.web(), app.sandbox(), app.cavalcade(), apm),
                s.assets());
    }

    static EnvironmentSpec withVersioning(EnvironmentSpec s, boolean versioning) {
        return with(s, s.application(), new EnvironmentSpec.Assets(versioning));
    }

    private static EnvironmentSpec with(EnvironmentSpec s, EnvironmentSpec.Application app, EnvironmentSpec.Assets assets) {
        return new EnvironmentSpec(s.name(), s.client(), s.tier(), s.stage(), s.region(), s.availability(), s.paused(),
                s.drift(), s.decommission(), app, s.database(), s.cache(), s.search(), assets, s.cdn(), s.tags());
    }
}
