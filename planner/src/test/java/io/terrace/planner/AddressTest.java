package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void readsBackTheAddressItWrites() {
        Address a = Address.parse("acme-prod/web/service");
        assertEquals(new Address("acme-prod", Component.WEB, "service"), a);
        assertEquals("acme-prod/web/service", a.toString());
        assertEquals("acme-prod", Address.environmentOf("acme-prod/web/service"));
    }

    @Test
    void refusesTextThatIsNotThreePartsWithAKnownComponent() {
        var two = assertThrows(IllegalArgumentException.class, () -> Address.parse("acme/web"));
        assertTrue(two.getMessage().contains("is not <environment>/<component>/<resource>"), two.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Address.parse("acme/kitchen/sink"));
        assertTrue(unknown.getMessage().contains("names no known component: kitchen"), unknown.getMessage());
    }

    @Test
    void aWaitingReasonNamesWhatItWaitsForWithoutBeingParsed() {
        BlockedReason root = BlockedReason.rule("exists but is not managed by Terrace");
        BlockedReason waiting = BlockedReason.waitingFor("acme/cdn/distribution", root);
        assertEquals(false, root.waiting());
        assertEquals(true, waiting.waiting());
        assertEquals(Optional.of("acme/cdn/distribution"), waiting.waitsFor());
        assertEquals("waits for acme/cdn/distribution: exists but is not managed by Terrace", waiting.text());
    }

    @Test
    void theRevisionMarkerIsTheClusterOfTheEnvironment() {
        assertEquals("acme/cluster/cluster", RevisionMarker.address("acme"));
        assertEquals(ResourceType.ECS_CLUSTER, RevisionMarker.TYPE);
    }
}
