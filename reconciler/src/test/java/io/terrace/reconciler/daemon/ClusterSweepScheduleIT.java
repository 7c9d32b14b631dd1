package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cluster.ClusterNode;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.cluster.TestPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quartz.Job;

/**
 * The cluster's one drift sweep is a trigger in the shared database, kept across restarts. Nodes
 * restarted with a shorter {@code --drift-interval} must not wait out the next sweep the longer
 * one scheduled; nodes restarted with a longer one must not push a due sweep back.
 */
class ClusterSweepScheduleIT {

    private static final Duration POLL = Duration.ofHours(1);
    private static final OriginSecretSchedule NO_ROTATION = new OriginSecretSchedule(Optional.empty());

    @Test
    void aShorterFirstSweepBringsTheClustersNextSweepForward() throws Exception {
        assertTrue(sweepsSoonAfterRestart(Duration.ofHours(1), Duration.ofSeconds(1)),
                "the sweep runs a second after the restart, not in an hour");
    }

    @Test
    void aLongerFirstSweepKeepsTheSweepDueSooner() throws Exception {
        assertTrue(sweepsSoonAfterRestart(Duration.ofSeconds(5), Duration.ofHours(1)), "the sweep due in 5 s is kept");
    }

    /**
     * A node schedules the cluster's first sweep {@code before} from now and stops; another starts
     * with its first sweep {@code after} from now: whether a sweep runs within a minute.
     */
    private static boolean sweepsSoonAfterRestart(Duration before, Duration after) throws Exception {
        String url = TestPostgres.freshDatabase();
        try (Node a = Node.join(url, "node-a", new CountDownLatch(1))) {
            a.scheduling.start(POLL, before, NO_ROTATION);
        }
        CountDownLatch swept = new CountDownLatch(1);
        try (Node b = Node.join(url, "node-b", swept)) {
            b.scheduling.start(POLL, after, NO_ROTATION);
            return swept.await(60, TimeUnit.SECONDS);
        }
    }

    /** A cluster node's scheduling whose sweep only counts down {@code swept}. */
    private record Node(ClusterNode cluster, Scheduling scheduling) implements AutoCloseable {

        static Node join(String url, String id, CountDownLatch swept) throws Exception {
            ClusterNode node = ClusterNode.join(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(1), id, 2));
            Map<Class<? extends Job>, Supplier<Job>> jobs = Map.of(
                    DriftSweepJob.class, () -> context -> swept.countDown(),
                    PollJob.class, () -> context -> { });
            return new Node(node, new Scheduling(id, 1, jobs, Optional.of(node)));
        }

        @Override
        public void close() throws Exception {
            scheduling.close();
            cluster.close();
        }
    }
}
