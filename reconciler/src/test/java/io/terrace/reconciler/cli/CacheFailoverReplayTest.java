package io.terrace.reconciler.cli;

import static io.terrace.reconciler.aws.ElastiCacheReplies.describe;
import static io.terrace.reconciler.aws.ElastiCacheReplies.group;
import static io.terrace.reconciler.aws.ElastiCacheReplies.withGroup;
import static io.terrace.reconciler.aws.QueryReplay.START;
import static io.terrace.reconciler.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.QueryReplay;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terrace failover --cache} to completion, which moto cannot show (it has no TestFailover
 * and ignores PrimaryClusterId): the real SDK client of the CLI talks to a recorded ElastiCache
 * exchange in the shape of AWS's API reference (DescribeReplicationGroups, TestFailover, then
 * DescribeReplicationGroups showing the failover in progress and then the replica as primary).
 * Checks the request sent, the wait for the new primary, the history entry, and the time-out.
 */
class CacheFailoverReplayTest {

    private static final String ENV = "acme-production";
    private static final String ID = ResourceNames.cacheGroup(ENV);
    private static final String NODE = "cache.r6g.large";

    @TempDir
    Path data;

    @TempDir
    Path noRepo;

    private QueryReplay replay;

    @BeforeEach
    void setUp() {
        replay = new QueryReplay();
    }

    @AfterEach
    void tearDown() {
        replay.close();
    }

    private CliRun failover(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("failover", ENV, "--cache", "--repo",
                noRepo.resolve("absent").toString(), "--region", "eu-west-1", "--endpoint-url", replay.endpoint(),
                "--data", data.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private List<HistoryEntry> history() throws Exception {
        try (HistoryStore history = HistoryStore.openEmbedded(data.resolve("history"), Clock.systemUTC())) {
            return history.recent(ENV, 10);
        }
    }

    @Test
    void testFailoverIsSentAndTheCommandWaitsForTheReplicaToBeReportedPrimary() throws Exception {
        replay.answer("DescribeReplicationGroups", START, START, 200, describe(group(ID, "available", NODE, 1, true, true)));
        replay.answer("TestFailover", START, "failing-over", 200,
                withGroup("TestFailover", group(ID, "modifying", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "failing-over", "promoted", 200,
                describe(group(ID, "modifying", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "promoted", "promoted", 200,
                describe(group(ID, "available", NODE, 1, true, true, 2)));

        CliRun run = failover();

        assertEquals(0, run.exit(), run.printed());
        assertTrue(run.out().contains("terrace failover: " + ENV + ": cache: " + ID + "-002 is the primary (was " + ID
                + "-001)"), run.out());
        assertEquals(Map.of("Action", "TestFailover", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "NodeGroupId", "0001"), replay.only("TestFailover"));
        List<String> actions = replay.actions();
        assertEquals("TestFailover", actions.get(1), actions.toString());
        assertTrue(actions.subList(2, actions.size()).stream().allMatch("DescribeReplicationGroups"::equals)
                && actions.size() >= 4, "polled while in progress, then read the new primary: " + actions);
        assertTrue(actions.stream().noneMatch("ModifyReplicationGroup"::equals), actions.toString());

        List<HistoryEntry> entries = history();
        assertEquals(1, entries.size(), entries.toString());
        HistoryEntry entry = entries.get(0);
        assertEquals(HistoryEntry.Kind.FAILOVER, entry.kind());
        assertEquals("cli", entry.trigger());
        assertEquals("succeeded", entry.outcome());
        assertEquals(List.of(new HistoryEntry.Action(ENV + "/cache/replication-group", "failover", "succeeded")),
                entry.actions());
    }

    @Test
    void aNamedReplicaIsPromotedWithModifyReplicationGroup() throws Exception {
        replay.answer("DescribeReplicationGroups", START, START, 200, describe(group(ID, "available", NODE, 2, true, true)));
        replay.answer("ModifyReplicationGroup", START, "promoted", 200,
                withGroup("ModifyReplicationGroup", group(ID, "modifying", NODE, 2, true, true)));
        replay.answer("DescribeReplicationGroups", "promoted", "promoted", 200,
                describe(group(ID, "available", NODE, 2, true, true, 3)));

        CliRun run = failover("--to", ID + "-003");

        assertEquals(0, run.exit(), run.printed());
        assertEquals(Map.of("Action", "ModifyReplicationGroup", "Version", "2015-02-02", "ReplicationGroupId", ID,
                "PrimaryClusterId", ID + "-003", "ApplyImmediately", "true"), replay.only("ModifyReplicationGroup"));
        assertTrue(run.out().contains("cache: " + ID + "-003 is the primary (was " + ID + "-001)"), run.out());
    }

    @Test
    void aFailoverThatNeverCompletesTimesOutWithAClearMessageAndIsRecordedAsFailed() throws Exception {
        replay.answer("DescribeReplicationGroups", START, START, 200, describe(group(ID, "available", NODE, 1, true, true)));
        replay.answer("TestFailover", START, "stuck", 200,
                withGroup("TestFailover", group(ID, "modifying", NODE, 1, true, true)));
        replay.answer("DescribeReplicationGroups", "stuck", "stuck", 200,
                describe(group(ID, "modifying", NODE, 1, true, true)));

        CliRun run = failover("--timeout", "1s");

        assertEquals(1, run.exit(), run.printed());
        String expected = "terrace failover: " + ENV + ": cache failover of replication group " + ID + " from " + ID
                + "-001 (still no other primary reported): not done after 1s";
        assertEquals(expected, run.err().strip(), run.printed());
        HistoryEntry entry = history().get(0);
        assertEquals("failed", entry.outcome());
        assertEquals(Optional.of(expected.substring("terrace failover: ".length())), entry.error());
        assertEquals(List.of(), entry.actions());
    }
}
