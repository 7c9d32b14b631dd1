package io.terrace.reconciler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cluster.ClusterNode;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.cluster.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

/**
 * Each node of a cluster sweeps its own share on its own schedule, kept in the node's memory:
 * nothing of the sweep is in the shared database, so a node's --drift-interval is its own from
 * its start, and the one shared sweep job of an older cluster is taken out.
 */
class ClusterSweepScheduleIT {

    private static final Duration POLL = Duration.ofHours(1);
    private static final OriginSecretSchedule NO_ROTATION = new OriginSecretSchedule(Optional.empty());

    @Test
    void eachNodeSweepsOnItsOwnSchedule() throws Exception {
        String url = TestPostgres.freshDatabase();
        CountDownLatch sweptA = new CountDownLatch(1);
        CountDownLatch sweptB = new CountDownLatch(1);
        try (Node a = Node.join(url, "node-a", sweptA); Node b = Node.join(url, "node-b", sweptB)) {
            a.scheduling.start(POLL, Duration.ofHours(1), NO_ROTATION);
            b.scheduling.start(POLL, Duration.ofSeconds(1), NO_ROTATION);
            assertTrue(sweptB.await(60, TimeUnit.SECONDS), "node-b sweeps a second after its start");
            assertEquals(1, sweptA.getCount(), "node-a's sweep is due in an hour");
            assertEquals(0, count(url, "SELECT count(*) FROM qrtz_job_details WHERE job_group = 'sweep'"),
                    "no sweep in the shared database");
        }
    }

    @Test
    void theSharedSweepOfAnOlderClusterIsTakenOut() throws Exception {
        String url = TestPostgres.freshDatabase();
        try (Node old = Node.join(url, "node-old", new CountDownLatch(1))) {
            Scheduler shared = old.cluster.scheduler(Scheduling.properties("old", "node-old", 1));
            shared.addJob(JobBuilder.newJob(DriftSweepJob.class).withIdentity(Scheduling.SWEEP).storeDurably().build(),
                    true);
            shared.scheduleJob(TriggerBuilder.newTrigger().withIdentity(Scheduling.NEXT_SWEEP).forJob(Scheduling.SWEEP)
                    .startAt(new Date(System.currentTimeMillis() + 3_600_000)).build());
            shared.shutdown();
        }
        assertEquals(1, count(url, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'sweep'"));
        CountDownLatch swept = new CountDownLatch(1);
        try (Node b = Node.join(url, "node-b", swept)) {
            b.scheduling.start(POLL, Duration.ofSeconds(1), NO_ROTATION);
            assertEquals(0, count(url, "SELECT count(*) FROM qrtz_job_details WHERE job_group = 'sweep'"));
            assertEquals(0, count(url, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'sweep'"));
            assertTrue(swept.await(60, TimeUnit.SECONDS), "the node's own sweep runs");
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
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
