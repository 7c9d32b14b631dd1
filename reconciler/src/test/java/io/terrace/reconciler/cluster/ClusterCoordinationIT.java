package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeValues;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterCoordinationIT {

    private static final Duration LONG_AGO = Duration.ofHours(1);
    private ClusterDatabase db;

    @BeforeEach
    void database() throws Exception {
        db = ClusterDatabase.open(ClusterOptions.parse(TestPostgres.freshDatabase(), Map.of(), Duration.ofSeconds(5),
                "node-a", 8));
        ClusterSchema.bootstrap(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aChangeIsClaimedByOneNodeOnly() throws Exception {
        int nodes = 6;
        CyclicBarrier together = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<Boolean>> won = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ChangeClaims claims = new ChangeClaims(db.dataSource(), "node-" + i);
                won.add(pool.submit(() -> {
                    together.await();
                    return claims.claim("acme-production", "c0ffee", LONG_AGO);
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : won) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewRevisionIsANewClaimAndAnOldClaimExpires() {
        ChangeClaims a = new ChangeClaims(db.dataSource(), "node-a");
        ChangeClaims b = new ChangeClaims(db.dataSource(), "node-b");
        assertTrue(a.claim("acme-production", "rev1", LONG_AGO));
        assertFalse(b.claim("acme-production", "rev1", LONG_AGO));
        assertTrue(b.claim("acme-production", "rev2", LONG_AGO));
        assertTrue(b.claim("acme-staging", "rev1", LONG_AGO));
        assertTrue(b.claim("acme-production", "rev1", Duration.ZERO), "a restarted cluster claims its start-up pass again");
    }

    @Test
    void aSweepObservationIsUsedOnceOnAnyNode() {
        SharedObservations sweepNode = new SharedObservations(db.dataSource());
        SharedObservations passNode = new SharedObservations(db.dataSource());
        long tick = sweepNode.tick();
        sweepNode.put("acme-production", tick, "{\"acme-production/cluster/cluster\":{}}");
        assertEquals(Optional.of("{\"acme-production/cluster/cluster\":{}}"), passNode.take("acme-production"));
        assertEquals(Optional.empty(), passNode.take("acme-production"), "a second pass observes for itself");
        assertEquals(Optional.empty(), passNode.take("acme-staging"));
    }

    @Test
    void anObservedStateCrossesNodesWithItsValues() {
        ObservedResource service = new ObservedResource("acme/web/service", ResourceType.ECS_SERVICE, "arn:aws:ecs:svc",
                Map.of("desiredCount", 7L, "cpu", 1024, "subnets", List.of("a", "b"), "execEnabled", true),
                Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, "acme"));
        SharedObservations observations = new SharedObservations(db.dataSource());
        observations.put("acme", observations.tick(), ObservedState.of(List.of(service)));

        ObservedResource back = observations.takeState("acme").orElseThrow().get("acme/web/service").orElseThrow();
        assertEquals(service.id(), back.id());
        assertEquals(service.tags(), back.tags());
        service.attributes().forEach((k, v) ->
                assertTrue(AttributeValues.satisfies(v, back.attributes().get(k)), k + ": " + back.attributes().get(k)));
    }

    @Test
    void anObservationTakenBeforeAnApplyIsNeverUsed() {
        SharedObservations observations = new SharedObservations(db.dataSource());
        long before = observations.tick();
        observations.applied("acme-production");
        observations.put("acme-production", before, "{}");
        assertEquals(Optional.empty(), observations.take("acme-production"));

        observations.put("acme-production", observations.tick(), "{\"fresh\":{}}");
        assertEquals(Optional.of("{\"fresh\":{}}"), observations.take("acme-production"));
    }
}
