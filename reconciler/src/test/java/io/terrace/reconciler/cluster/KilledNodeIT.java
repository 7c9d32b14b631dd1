package io.terrace.reconciler.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

/** A node in a process of its own, killed with SIGKILL while it runs four keys. */
class KilledNodeIT {

    private static final Duration CHECKIN = Duration.ofSeconds(2);

    private Process victim;
    private TestNode survivor;

    @AfterEach
    void stop() throws Exception {
        if (victim != null) {
            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void theKeysOfAKilledNodeAreRecoveredWithinTheCheckinIntervalPlusQuartzsGrace() throws Exception {
        String url = TestPostgres.freshDatabase();
        RunLog log = new RunLog(url);
        ClusterDatabase db = ClusterDatabase.open(ClusterOptions.parse(url, Map.of(), CHECKIN, Optional.of("node-b"), 4));
        ClusterSchema.bootstrap(db);
        db.close();

        victim = startNode(url, "node-a");
        survivor = TestNode.start(url, "node-b", CHECKIN, 4, RecordingJob.Work.taking(0));
        survivor.scheduler.standby();
        schedule(survivor.scheduler, 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> log.runs().size() == 4);
        assertTrue(log.runs().stream().allMatch(r -> r.node().equals("node-a")), log.runs().toString());
        survivor.scheduler.start();

        Instant killed = log.now();
        victim.destroyForcibly();
        assertTrue(victim.waitFor(10, TimeUnit.SECONDS));

        await().atMost(CHECKIN.multipliedBy(2).plus(Duration.ofMillis(7500)).plus(Duration.ofSeconds(20)))
                .until(() -> log.runs().stream().filter(r -> r.node().equals("node-b")).count() == 4);
        List<RunLog.Run> recovered = log.runs().stream().filter(r -> r.node().equals("node-b")).toList();
        assertTrue(recovered.stream().allMatch(r -> r.recovering() && r.started().isAfter(killed)), recovered.toString());
        assertEquals(List.of(), log.overlaps(killed));
        Duration takeover = Duration.between(killed,
                recovered.stream().map(RunLog.Run::started).max(Instant::compareTo).orElseThrow());
        System.out.println("takeover after kill -9: " + takeover.toMillis() + " ms (check-in " + CHECKIN.toMillis() + " ms)");
        assertTrue(takeover.compareTo(CHECKIN.multipliedBy(2).plus(Duration.ofMillis(7500)).plus(Duration.ofSeconds(5))) < 0,
                "takeover took " + takeover);
    }

    private static void schedule(Scheduler s, int keys) throws Exception {
        for (int i = 0; i < keys; i++) {
            JobDetail job = JobBuilder.newJob(RecordingJob.Exclusive.class).withIdentity("env-" + i, "environments")
                    .requestRecovery().storeDurably().build();
            s.scheduleJob(job, TriggerBuilder.newTrigger().forJob(job).startNow().build());
        }
    }

    private static Process startNode(String url, String id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName(), url, id, Long.toString(CHECKIN.toMillis()), "4")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> out.lines().forEach(line -> {
            if (line.equals("ready") || line.contains("ERROR") || line.contains("Exception")) {
                System.out.println("[" + id + "] " + line);
            }
        }), "drain-" + id);
        drain.setDaemon(true);
        drain.start();
        return p;
    }

}
