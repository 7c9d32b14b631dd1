package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LanesTest {

    @Test
    void fourLanesRunFourTasksAtOnceAndNeverMore() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // Each task waits for three others: twelve tasks on four lanes pass only if four run together.
        CyclicBarrier four = new CyclicBarrier(4);
        List<Supplier<Integer>> tasks = IntStream.range(0, 12).<Supplier<Integer>>mapToObj(i -> () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                four.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("fewer than four tasks ran at once", e);
            } finally {
                running.decrementAndGet();
            }
            return i;
        }).toList();

        List<Integer> results = Lanes.run(tasks, 4);

        assertEquals(IntStream.range(0, 12).boxed().toList(), results, "results in the tasks' order");
        assertEquals(4, most.get(), "never more than the lanes");
    }

    @Test
    void oneLaneRunsOnTheCallersThreadInOrder() {
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Supplier<String>> tasks = List.of("a", "b", "c").stream().<Supplier<String>>map(s -> () -> {
            assertSame(caller, Thread.currentThread());
            seen.add(s);
            return s;
        }).toList();

        assertEquals(List.of("a", "b", "c"), Lanes.run(tasks, 1));
        assertEquals(List.of("a", "b", "c"), seen);
    }

    @Test
    void aFailureIsThrownOnceEveryLaneHasFinished() {
        AtomicInteger done = new AtomicInteger();
        IllegalStateException refused = new IllegalStateException("AccessDenied");
        List<Supplier<Integer>> tasks = IntStream.range(0, 8).<Supplier<Integer>>mapToObj(i -> () -> {
            if (i == 2) {
                throw refused;
            }
            done.incrementAndGet();
            return i;
        }).toList();

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Lanes.run(tasks, 3));

        assertSame(refused, thrown, "the task's own exception, not a wrapper");
        assertEquals(7, done.get(), "the other tasks ran to their end first");
    }
}
