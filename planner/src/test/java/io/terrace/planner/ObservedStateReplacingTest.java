package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An apply's result laid over what it observed: changed, created and deleted resources. */
class ObservedStateReplacingTest {

    private static ObservedResource resource(String address, String value) {
        return new ObservedResource(address, ResourceType.S3_BUCKET, address, Map.of("value", value), Map.of());
    }

    @Test
    void theAddressesAnApplyTouchedAreWhatItLeftTheRestAsObserved() {
        ObservedState observed = ObservedState.of(List.of(resource("acme/a/kept", "1"), resource("acme/a/changed", "1"),
                        resource("acme/a/deleted", "1"), resource("other/a/kept", "1")))
                .inRegions(Map.of("acme", "eu-west-1")).withAlarms(Map.of("acme", List.of("terrace-acme-5xx")));

        ObservedState after = observed.replacing(Set.of("acme/a/changed", "acme/a/deleted", "acme/a/created"),
                Map.of("acme/a/changed", resource("acme/a/changed", "2"), "acme/a/created", resource("acme/a/created", "1"),
                        "acme/a/kept", resource("acme/a/kept", "not this apply's")));

        assertEquals(Map.of("acme/a/kept", resource("acme/a/kept", "1"), "acme/a/changed", resource("acme/a/changed", "2"),
                "acme/a/created", resource("acme/a/created", "1"), "other/a/kept", resource("other/a/kept", "1")),
                after.resources());
        assertEquals(observed.regions(), after.regions());
        assertEquals(observed.alarms(), after.alarms());
    }
}
