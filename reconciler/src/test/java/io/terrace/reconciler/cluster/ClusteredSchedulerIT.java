package io.terrace.reconciler.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Two or three clustered Quartz schedulers in one JVM on one PostgreSQL database, running a
 * {@code @DisallowConcurrentExecution} job per key as the daemon runs one per environment.
 */
class ClusteredSchedulerIT {

    private static final Duration CHECKIN = Duration.ofSeconds(1);
    /** Quartz declares a node dead this long after its last check-in, past the interval. */
    private static final Duration QUARTZ_GRACE = Duration.ofMillis(7500);

    private final List<TestNode> nodes = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private String url;
    private RunLog log;

    @BeforeEach
    void database() throws Exception {
        url = TestPostgres.freshDatabase();
        log = new RunLog(url);
    }

    @AfterEach
    void stop() throws SchedulerException {
        release.countDown();
        for (TestNode n : nodes) {
            n.close();
        }
    }

    private TestNode node(String id, int workers, RecordingJob.Work work) throws Exception {
        TestNode n = TestNode.start(url, id, CHECKIN, workers, work);
        nodes.add(n);
        return n;
    }

    /** Each key fires every 50 ms, ten times, and each run takes 150 ms: firings must queue. */
    private static void scheduleBusyKeys(Scheduler s, Class<? extends Job> type, int keys) throws SchedulerException {
        for (int i = 0; i < keys; i++) {
            JobDetail job = JobBuilder.newJob(type).withIdentity("env-" + i, "environments")
                    .requestRecovery().storeDurably().build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity("env-" + i, "environments").startNow()
                    .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever().withIntervalInMilliseconds(50)
                            .withRepeatCount(9))
                    .build();
            s.scheduleJob(job, Set.of(trigger), true);
        }
    }

    @Test
    void eachKeyRunsOnOneNodeAtATimeAndAJoiningNodeTakesItsShare() throws Exception {
        TestNode a = node("node-a", 3, RecordingJob.Work.taking(150));
        scheduleBusyKeys(a.scheduler, RecordingJob.Exclusive.class, 8);
        await().atMost(Duration.ofSeconds(30)).until(() -> !log.runs().isEmpty());
        node("node-b", 3, RecordingJob.Work.taking(150));

        await().atMost(Duration.ofSeconds(90)).until(() -> finished(log.runs()) == 80);

        assertEquals(List.of(), log.overlaps(log.now()));
        Map<String, Long> byNode = log.runs().stream()
                .collect(Collectors.groupingBy(RunLog.Run::node, Collectors.counting()));
        assertEquals(Set.of("node-a", "node-b"), byNode.keySet(), "node-b joined and took work: " + byNode);
        System.out.println("runs by node: " + byNode);
    }

    @Test
    void overlapIsSeenWhenTheJobAllowsConcurrentRuns() throws Exception {
        TestNode a = node("node-a", 3, RecordingJob.Work.taking(150));
        node("node-b", 3, RecordingJob.Work.taking(150));
        scheduleBusyKeys(a.scheduler, RecordingJob.Concurrent.class, 2);

        await().atMost(Duration.ofSeconds(60)).until(() -> finished(log.runs()) == 20);

        assertFalse(log.overlaps(log.now()).isEmpty(), "the control must overlap, or the check proves nothing");
    }

    @Test
    void aNodeThatDiesHasItsRunningKeysRecoveredByAnother() throws Exception {
        TestNode a = node("node-a", 4, RecordingJob.Work.until(release));
        for (int i = 0; i < 4; i++) {
            JobDetail job = JobBuilder.newJob(RecordingJob.Exclusive.class).withIdentity("env-" + i, "environments")
                    .requestRecovery().storeDurably().build();
            a.scheduler.scheduleJob(job, TriggerBuilder.newTrigger().forJob(job).startNow().build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.runs().size() == 4);
        node("node-b", 4, RecordingJob.Work.taking(0));

        Instant death = log.now();
        a.die();

        await().atMost(CHECKIN.plus(QUARTZ_GRACE).plus(Duration.ofSeconds(15)))
                .until(() -> finished(log.runs()) == 4);
        List<RunLog.Run> recovered = log.runs().stream().filter(r -> r.node().equals("node-b")).toList();
        assertEquals(4, recovered.size());
        assertTrue(recovered.stream().allMatch(RunLog.Run::recovering), recovered.toString());
        assertTrue(recovered.stream().allMatch(r -> r.started().isAfter(death)), recovered.toString());
        assertEquals(List.of(), log.overlaps(death), "node-a's runs end at its death; node-b's start after it");

        Duration takeover = Duration.between(death,
                recovered.stream().map(RunLog.Run::started).max(Instant::compareTo).orElseThrow());
        System.out.println("takeover after node death: " + takeover.toMillis() + " ms (check-in "
                + CHECKIN.toMillis() + " ms)");
        assertTrue(takeover.compareTo(CHECKIN.multipliedBy(2).plus(QUARTZ_GRACE).plus(Duration.ofSeconds(5))) < 0,
                "takeover took " + takeover);
    }

    private static long finished(List<RunLog.Run> runs) {
        return runs.stream().filter(r -> r.finished().isPresent()).count();
    }
}
