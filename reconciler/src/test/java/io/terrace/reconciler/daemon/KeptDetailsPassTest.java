package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passes and details a sweep kept ({@code Observer#observeFresh}): a pass that would apply from a
 * sweep's observation observes afresh first, so an apply never writes from a kept detail; passes
 * not started by a sweep read everything fresh; an apply forgets the environment's kept details.
 */
class KeptDetailsPassTest {

    @TempDir
    Path tmp;
    PassBench bench;

    @BeforeEach
    void start() throws Exception {
        bench = new PassBench(tmp, HistoryStore.openEmbedded(tmp.resolve("history"), java.time.Clock.systemUTC()), Map.of());
        bench.spec("shop", environment("shop", "1.0.0"));
        bench.pass("shop", Trigger.CHANGE);
        assertEquals(Condition.SYNCED, bench.status("shop").condition());
    }

    @AfterEach
    void stop() {
        bench.close();
    }

    /** A kept detail that differs from live state and from the spec: the image of one resource. */
    private ObservedResource staleCopyOfOneResource() {
        ObservedResource r = bench.cloud.resources.values().stream()
                .filter(x -> x.attributes().containsKey("image")).findFirst().orElseThrow();
        Map<String, Object> a = new HashMap<>(r.attributes());
        a.put("image", "registry.example.com/stale:0.9.0");
        return new ObservedResource(r.address(), r.type(), r.id(), a, r.tags());
    }

    @Test
    void aSweptPassThatWouldApplyFromAKeptDetailObservesAfreshAndAppliesNothing() {
        int applies = bench.cloud.applies("shop").size();
        ObservedResource stale = staleCopyOfOneResource();
        bench.cloud.kept.put(stale.address(), stale);
        ObservedState swept = bench.cloud.observe(List.of("shop"));
        bench.observations.put("shop", bench.observations.tick(), swept);
        bench.cloud.freshObserves.clear();

        bench.pass("shop", Trigger.SWEEP);

        assertEquals(List.of(List.of("shop")), bench.cloud.freshObserves, "observed afresh before applying");
        assertEquals(applies, bench.cloud.applies("shop").size(), "nothing applied from the kept detail");
        assertEquals(Condition.SYNCED, bench.status("shop").condition());
    }

    @Test
    void aSweptPassWithNothingToApplyKeepsTheSweepsObservation() {
        ObservedState swept = bench.cloud.observe(List.of("shop"));
        bench.observations.put("shop", bench.observations.tick(), swept);
        bench.cloud.freshObserves.clear();

        bench.pass("shop", Trigger.SWEEP);

        assertEquals(List.of(), bench.cloud.freshObserves, "the sweep's kept details were enough");
        assertEquals(Condition.SYNCED, bench.status("shop").condition());
    }

    @Test
    void aCommitsPassReadsEveryDetailAndAnApplyForgetsThem() {
        bench.cloud.freshObserves.clear();
        bench.cloud.forgotten.clear();
        bench.spec("shop", environment("shop", "1.1.0"));

        bench.pass("shop", Trigger.CHANGE);

        assertEquals(List.of(List.of("shop")), bench.cloud.freshObserves);
        assertTrue(bench.cloud.forgotten.contains("shop"), "the apply forgot the kept details");
        assertEquals(Condition.SYNCED, bench.status("shop").condition());
    }
}
