package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How the nodes alive share the sweep's units (regions): whole, and by weight. */
class SweepSharesTest {

    private static SortedSet<String> nodes(String... names) {
        return new TreeSet<>(java.util.List.of(names));
    }

    @Test
    void threeRegionsOverThreeNodesGiveEachNodeOne() {
        Map<String, String> owners = SweepShares.assign(
                Map.of("eu-west-1", 334, "us-east-1", 333, "eu-central-1", 333), nodes("node-a", "node-b", "node-c"));

        assertEquals(3, new TreeSet<>(owners.values()).size(), owners.toString());
        assertEquals("node-a", owners.get("eu-west-1"), "the heaviest first, to the first node: " + owners);
    }

    @Test
    void theLightUnitsGoWhereTheLoadIsLeast() {
        Map<String, Integer> weights = new TreeMap<>(Map.of("eu-west-1", 600, "us-east-1", 300, "eu-central-1", 250));
        weights.put("deleted-env", 1);

        Map<String, String> owners = SweepShares.assign(weights, nodes("node-a", "node-b"));

        assertEquals("node-a", owners.get("eu-west-1"));
        assertEquals("node-b", owners.get("us-east-1"));
        assertEquals("node-b", owners.get("eu-central-1"), "550 against 600");
        assertEquals("node-b", owners.get("deleted-env"), "551 against 600");
    }

    @Test
    void withFewerUnitsThanNodesSomeNodesHaveNone() {
        Map<String, String> owners = SweepShares.assign(Map.of("eu-west-1", 10), nodes("node-a", "node-b", "node-c"));

        assertEquals(Map.of("eu-west-1", "node-a"), owners);
    }

    @Test
    void aNodeLeavingHandsItsUnitsToTheOthers() {
        Map<String, Integer> weights = Map.of("eu-west-1", 334, "us-east-1", 333, "eu-central-1", 333);

        Map<String, String> owners = SweepShares.assign(weights, nodes("node-a", "node-c"));

        assertEquals(java.util.Set.of("node-a", "node-c"), new TreeSet<>(owners.values()));
        assertEquals(3, owners.size(), "every unit still has a node: " + owners);
    }

    @Test
    void everyNodeComputesTheSameAnswer() {
        Map<String, Integer> weights = new TreeMap<>(Map.of("eu-west-1", 5, "us-east-1", 5, "eu-central-1", 5));

        assertEquals(SweepShares.assign(weights, nodes("node-c", "node-a", "node-b")),
                SweepShares.assign(new java.util.HashMap<>(weights), nodes("node-b", "node-c", "node-a")));
    }
}
