package io.terrace.reconciler.aws;

import io.terrace.planner.DesiredState;
import io.terrace.planner.Resource;
import io.terrace.schema.Availability;
import io.terrace.schema.DriftMode;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Map;

/**
 * A business-tier, multi-AZ production spec (the brief's example) with the knobs the data-service
 * tests turn; {@link #resource} compiles it with {@link DesiredState}, so tests use exactly the
 * names and attributes the planner will hand the drivers.
 */
final class DataTestSpec {

    String name;
    Stage stage = Stage.PRODUCTION;
    Availability availability = Availability.MULTI_AZ;
    boolean decommission;
    String dbVersion = "8.0";
    String instanceClass = "db.r6g.large";
    Range readers = new Range(1, 4);
    boolean proxy;
    String nodeType = "cache.r6g.large";
    int cacheReplicas = 1;
    String searchVersion = "OpenSearch_2.13";
    String searchInstanceType = "m6g.large.search";
    int searchNodes = 2;
    List<String> aliases = List.of("www.acme.example");
    String priceClass = "PriceClass_100";
    int pageTtl = 300;
    String revision = "rev-1";
    java.util.Optional<String> maintenanceWindow = java.util.Optional.empty();
    java.util.Optional<String> restoreFrom = java.util.Optional.empty();

    DataTestSpec(String name) {
        this.name = name;
    }

    EnvironmentSpec build() {
        return new EnvironmentSpec(name, "acme", Tier.BUSINESS, stage, "eu-west-1", availability, false,
                DriftMode.CORRECT, decommission,
                new EnvironmentSpec.Application("registry.example.com/acme/app:1.42.0",
                        new EnvironmentSpec.Web(1024, 2048, 2, 20), new EnvironmentSpec.Sandbox(true), new Range(1, 10)),
                new EnvironmentSpec.Database(dbVersion, instanceClass, readers, proxy, restoreFrom),
                new EnvironmentSpec.Cache(nodeType, cacheReplicas),
                new EnvironmentSpec.Search(searchVersion, searchInstanceType, searchNodes),
                new EnvironmentSpec.Assets(true),
                new EnvironmentSpec.Cdn(true, aliases, priceClass, pageTtl),
                Map.of("cost-centre", "web")).withMaintenance(new EnvironmentSpec.Maintenance(maintenanceWindow));
    }

    /** The desired resource at {@code <env>/<component>/<resource>}. */
    Resource resource(String componentAndResource) {
        String address = name + "/" + componentAndResource;
        return DesiredState.compile(build(), revision).stream().filter(r -> r.address().equals(address))
                .findFirst().orElseThrow(() -> new AssertionError("no desired resource " + address));
    }
}
