package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quartz.Job;

/**
 * A pass someone waits for goes ahead of the sweep's queued before it: on Quartz for real, with
 * every worker busy while a sweep queues a pass of each environment and then a commit arrives.
 */
class PassOrderTest {

    @Test
    void aCommitsPassRunsBeforeTheSweepsQueuedAheadOfIt() throws Exception {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1 + 20 + 2);
        Job pass = context -> {
            String env = context.getJobDetail().getKey().getName();
            started.add(env);
            if (env.startsWith("busy")) {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            done.countDown();
        };
        Job nothing = context -> { };
        // One worker for passes.
        Scheduling scheduling = new Scheduling("order", 1, Map.of(EnvironmentJob.class, () -> pass,
                PollJob.class, () -> nothing, DriftSweepJob.class, () -> nothing), Optional.empty());
        try {
            scheduling.start(Duration.ofHours(1), Duration.ofHours(1), new OriginSecretSchedule(Optional.empty()));
            Optional<String> commit = Optional.of("c0ffee");
            scheduling.runEnvironment("busy", PassRequest.of(Trigger.SWEEP, commit), Duration.ZERO);
            assertTrue(busy.await(10, TimeUnit.SECONDS), "the worker runs a pass");
            for (int i = 0; i < 20; i++) {
                scheduling.runEnvironment(String.format("swept-%02d", i), PassRequest.of(Trigger.SWEEP, commit),
                        Duration.ZERO);
            }
            scheduling.runEnvironment("committed", PassRequest.of(Trigger.CHANGE, commit), Duration.ZERO);
            scheduling.runEnvironment("synced", PassRequest.of(Trigger.MANUAL, commit, "alice"), Duration.ZERO);
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "every pass ran");

            List<String> after = started.subList(1, started.size());
            // Asked within the same millisecond, the two may run in either order.
            assertEquals(Set.of("committed", "synced"), Set.copyOf(after.subList(0, 2)), "order: " + after);
        } finally {
            release.countDown();
            scheduling.close();
        }
    }
}
