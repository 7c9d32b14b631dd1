package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the environments are shared between the nodes alive: evenly, and moving little when one leaves. */
class SweepSharesTest {

    private static final List<String> FLEET = IntStream.range(0, 1_000).mapToObj(i -> "customer-" + i).toList();

    @Test
    void threeNodesShareAThousandEnvironmentsAboutEvenly() {
        Map<String, Long> shares = FLEET.stream().collect(Collectors.groupingBy(
                env -> SweepShares.owner(env, List.of("node-a", "node-b", "node-c")), Collectors.counting()));

        assertEquals(3, shares.size(), shares.toString());
        shares.values().forEach(n -> assertTrue(n > 280 && n < 390, shares.toString()));
    }

    @Test
    void aNodeLeavingMovesOnlyItsOwnShare() {
        Function<String, String> three = env -> SweepShares.owner(env, List.of("node-a", "node-b", "node-c"));
        Function<String, String> two = env -> SweepShares.owner(env, List.of("node-a", "node-b"));

        for (String env : FLEET) {
            if (!three.apply(env).equals("node-c")) {
                assertEquals(three.apply(env), two.apply(env), env + " stays where it was");
            }
        }
    }

    @Test
    void theOrderNodesAreListedInDoesNotMatter() {
        for (String env : FLEET) {
            assertEquals(SweepShares.owner(env, List.of("node-a", "node-b", "node-c")),
                    SweepShares.owner(env, List.of("node-c", "node-a", "node-b")), env);
        }
    }
}
