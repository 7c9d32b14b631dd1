package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quartz.Job;

/**
 * A pass someone waits for goes ahead of the sweep's queued before it: on Quartz for real, with
 * every worker busy while a sweep queues a pass of each environment and then a commit arrives.
 * {@code ClusterPassOrderIT} runs the same on the clustered JDBC store.
 */
class PassOrderTest {

    /** Makes a node's scheduling (two workers) running the given jobs. */
    interface Node {
        Scheduling scheduling(Map<Class<? extends Job>, Supplier<Job>> jobs) throws Exception;
    }

    @Test
    void aCommitsPassRunsBeforeTheSweepsQueuedAheadOfIt() throws Exception {
        assertWaitedForPassesGoAhead(jobs -> new Scheduling("order", 2, jobs, Optional.empty()));
    }

    static void assertWaitedForPassesGoAhead(Node node) throws Exception {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch busy = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2 + 20 + 2);
        // The two passes waited for hold both workers until both have started: a sweep pass can
        // start before that only if it fired before one of them. (Which thread starts first is
        // the operating system's choice, so the order of starts alone would prove nothing.)
        CountDownLatch waitedForStarted = new CountDownLatch(2);
        List<String> sweptFirst = Collections.synchronizedList(new ArrayList<>());
        Job pass = context -> {
            String env = context.getJobDetail().getKey().getName();
            started.add(env);
            try {
                if (env.startsWith("busy")) {
                    busy.countDown();
                    release.await();
                } else if (env.equals("committed") || env.equals("synced")) {
                    waitedForStarted.countDown();
                    waitedForStarted.await(10, TimeUnit.SECONDS);
                } else if (waitedForStarted.getCount() > 0) {
                    sweptFirst.add(env);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
        Job nothing = context -> { };
        // Two workers run passes (the sweep runs on the control scheduler).
        Scheduling scheduling = node.scheduling(Map.of(EnvironmentJob.class, () -> pass,
                PollJob.class, () -> nothing, DriftSweepJob.class, () -> nothing));
        try {
            scheduling.start(Duration.ofHours(1), Duration.ofHours(1), new OriginSecretSchedule(Optional.empty()));
            Optional<String> commit = Optional.of("c0ffee");
            scheduling.runEnvironment("busy-1", PassRequest.of(Trigger.SWEEP, commit), Duration.ZERO);
            scheduling.runEnvironment("busy-2", PassRequest.of(Trigger.SWEEP, commit), Duration.ZERO);
            assertTrue(busy.await(30, TimeUnit.SECONDS), "both threads run a pass");
            for (int i = 0; i < 20; i++) {
                scheduling.runEnvironment(String.format("swept-%02d", i), PassRequest.of(Trigger.SWEEP, commit),
                        Duration.ZERO);
            }
            scheduling.runEnvironment("committed", PassRequest.of(Trigger.CHANGE, commit), Duration.ZERO);
            scheduling.runEnvironment("synced", PassRequest.of(Trigger.MANUAL, commit, "alice"), Duration.ZERO);
            release.countDown();
            assertTrue(done.await(60, TimeUnit.SECONDS), "every pass ran: " + started);

            assertEquals(List.of(), sweptFirst, "sweep passes that ran before the commit's and the Sync's; started: "
                    + started);
        } finally {
            release.countDown();
            scheduling.close();
        }
    }
}
