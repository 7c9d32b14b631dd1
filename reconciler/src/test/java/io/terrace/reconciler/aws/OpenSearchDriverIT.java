package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.opensearch.OpenSearchDriver;
import io.terrace.reconciler.aws.opensearch.OpenSearchObserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ManagedDriver;
import io.terrace.schema.Availability;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenSearch driver and observer against moto (engine upgrades: see OpenSearchUpgradeTest). */
@NeedsMoto
class OpenSearchDriverIT extends DataDriverFixture {

    private static final String ADDRESS = ENV + "/search/domain";

    private ManagedDriver driver;

    @BeforeEach
    void buildDriver() {
        driver = new ManagedDriver(new OpenSearchDriver(aws));
    }

    private ObservedState observe() {
        return observe(new OpenSearchObserver(aws));
    }

    private ObservedResource live() {
        return live(observe(), ADDRESS);
    }

    private List<String> privateSubnets() {
        return List.of(network.attributes().get("outputs.PrivateSubnetIds").toString().split(","));
    }

    @Test
    void createdDomainIsObservedWithTheDesiredAttributesInsideTheVpc() {
        ObservedResource created = driver.create(spec.resource("search/domain"), context);
        ObservedResource observed = live();

        assertEquals(created, observed);
        assertEquals(ResourceNames.searchDomain(ENV), observed.id());
        assertTrue(observed.id().length() <= 28);
        assertEquals("OpenSearch_2.13", observed.attributes().get("engineVersion"));
        assertEquals("m6g.large.search", observed.attributes().get("instanceType"));
        assertEquals(2, observed.attributes().get("instanceCount"));
        assertEquals(true, observed.attributes().get("zoneAwareness"));
        assertEquals(privateSubnets(), observed.attributes().get("subnetIds"));
        assertTrue(observed.isManagedByTerrace());
        assertEquals("search", observed.tags().get(ObservedResource.COMPONENT));
    }

    @Test
    void instanceTypeCountAndZoneAwarenessChangeWithUpdateDomainConfig() {
        driver.create(spec.resource("search/domain"), context);
        spec.availability = Availability.SINGLE_AZ;
        spec.searchNodes = 3;
        spec.searchInstanceType = "r6g.large.search";
        spec.revision = "rev-2";
        driver.update(spec.resource("search/domain"), live(), List.of(), context);

        ObservedResource after = live();
        assertEquals("r6g.large.search", after.attributes().get("instanceType"));
        assertEquals(3, after.attributes().get("instanceCount"));
        assertEquals(false, after.attributes().get("zoneAwareness"));
        assertEquals(privateSubnets().subList(0, 1), after.attributes().get("subnetIds"));
        assertEquals("rev-2", after.tags().get(ObservedResource.REVISION));
        assertEquals(1L, aws.counter().snapshot().get("OpenSearch:UpdateDomainConfig"));
    }

    @Test
    void theMaintenanceWindowStartsTheOffPeakWindow() {
        spec.maintenanceWindow = java.util.Optional.of("sun:02:30-sun:04:00");
        driver.create(spec.resource("search/domain"), context);
        assertEquals("02:30", live().attributes().get("offPeakStart"));

        spec.maintenanceWindow = java.util.Optional.of("sat:23:00-sun:01:00");
        driver.update(spec.resource("search/domain"), live(), List.of(), context);
        var start = aws.openSearch.describeDomain(r -> r.domainName(live().id())).domainStatus()
                .offPeakWindowOptions().offPeakWindow().windowStartTime();
        assertEquals(23L, start.hours());
        assertEquals(0L, start.minutes());
        assertEquals(spec.resource("search/domain").attributes().get("offPeakStart"), live().attributes().get("offPeakStart"));
    }

    @Test
    void anUpToDateDomainIsLeftAlone() {
        driver.create(spec.resource("search/domain"), context);
        driver.update(spec.resource("search/domain"), live(), List.of(), context);
        assertEquals(0L, aws.counter().snapshot().getOrDefault("OpenSearch:UpdateDomainConfig", 0L));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("OpenSearch:AddTags", 0L));
    }

    @Test
    void deleteRemovesTheDomain() {
        driver.create(spec.resource("search/domain"), context);
        driver.delete(live(), context);
        assertTrue(observe().resources().isEmpty());
    }

    @Test
    void aSameNamedDomainWithoutTerraceTagsIsObservedButNeverTouched() {
        aws.openSearch.createDomain(r -> r.domainName(ResourceNames.searchDomain(ENV)).engineVersion("OpenSearch_1.3")
                .tagList(t -> t.key("owner").value("someone-else")));

        ObservedResource foreign = live();
        assertFalse(foreign.isManagedByTerrace());
        assertEquals(Map.of("owner", "someone-else"), foreign.tags());
        assertThrows(IllegalStateException.class,
                () -> driver.update(spec.resource("search/domain"), foreign, List.of(), context));
        assertThrows(IllegalStateException.class, () -> driver.delete(foreign, context));
        assertThrows(IllegalStateException.class, () -> driver.create(spec.resource("search/domain"), context));
        assertEquals("OpenSearch_1.3", live().attributes().get("engineVersion"));
    }
}
