package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static io.terrace.reconciler.cli.DriverCoverage.everyResourceTypeHasADriver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.history.HistoryEntry;
import io.terrace.reconciler.history.HistoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.model.DBClusterMember;

/**
 * {@code terrace failover} against moto on the example environments: the writer moves to a
 * reader (read back with a separate client), the next plan is empty, the history records it; an
 * environment without a standby is refused with one line.
 */
@NeedsMoto
class FailoverIT {

    @TempDir
    Path repo;

    @TempDir
    Path data;

    private String endpoint;
    private AwsClients check;

    @BeforeEach
    void setUp() throws Exception {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        SpecRepo.ofExamples(repo);
    }

    @AfterEach
    void tearDown() {
        check.close();
    }

    private CliRun terrace(String command, String env, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {command, "--repo", repo.toString(), "--endpoint-url", endpoint}, 0, args, 0, 5);
        args[5] = command.equals("failover") ? env : "--env=" + env;
        System.arraycopy(more, 0, args, 6, more.length);
        return run(args);
    }

    private String writer(String env) {
        return check.rds.describeDBClusters(r -> r.dbClusterIdentifier(ResourceNames.dbCluster(env))).dbClusters()
                .get(0).dbClusterMembers().stream().filter(DBClusterMember::isClusterWriter)
                .map(DBClusterMember::dbInstanceIdentifier).findFirst().orElseThrow();
    }

    @Test
    void databaseFailoverMakesAReaderTheWriterAndLeavesThePlanEmpty() throws Exception {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String env = "acme-production";
        CliRun apply = terrace("apply", env, "--auto-approve");
        assertEquals(0, apply.exit(), apply.printed());
        assertEquals(ResourceNames.dbWriter(env), writer(env));

        CliRun failover = terrace("failover", env, "--database", "--data", data.toString());

        assertEquals(0, failover.exit(), failover.printed());
        String reader = ResourceNames.dbReaderPrefix(env) + "1";
        assertEquals(reader, writer(env), "the reader is the writer now");
        assertTrue(failover.out().contains("database: " + reader + " is the writer (was "
                + ResourceNames.dbWriter(env) + ")"), failover.out());
        CliRun plan = terrace("plan", env);
        assertEquals(0, plan.exit(), "which instance writes is not drift: " + plan.printed());

        try (HistoryStore history = HistoryStore.openEmbedded(data.resolve("history"), Clock.systemUTC())) {
            List<HistoryEntry> entries = history.recent(env, 10);
            assertEquals(1, entries.size(), entries.toString());
            HistoryEntry entry = entries.get(0);
            assertEquals(HistoryEntry.Kind.FAILOVER, entry.kind());
            assertEquals("cli", entry.trigger());
            assertEquals("succeeded", entry.outcome());
            assertEquals(List.of(new HistoryEntry.Action(env + "/database/cluster", "failover", "succeeded")),
                    entry.actions());
        }

        // Back again, to the instance named writer.
        CliRun back = terrace("failover", env, "--database", "--to", ResourceNames.dbWriter(env), "--data", data.toString());
        assertEquals(0, back.exit(), back.printed());
        assertEquals(ResourceNames.dbWriter(env), writer(env));
    }

    @Test
    void anEnvironmentWithoutStandbysIsRefusedInOneLine() {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String env = "blog-dev";
        assertEquals(0, terrace("apply", env, "--auto-approve").exit());

        CliRun both = terrace("failover", env, "--data", data.toString());
        CliRun database = terrace("failover", env, "--database", "--data", data.toString());

        assertEquals(new CliRun(1, "", "terrace failover: blog-dev: nothing to fail over: the database has no reader "
                + "and the cache no replica\n"), both);
        assertEquals(new CliRun(1, "", "terrace failover: blog-dev: the database has no reader to fail over to "
                + "(database.readers.min is 0)\n"), database);
        assertEquals(ResourceNames.dbWriter(env), writer(env));
    }

    @Test
    void cacheFailoverGoesAsFarAsMotoAllows() {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String env = "acme-production";
        assertEquals(0, terrace("apply", env, "--auto-approve").exit());

        CliRun unknown = terrace("failover", env, "--cache", "--to", "nope", "--data", data.toString());
        assertEquals(1, unknown.exit(), unknown.printed());
        assertTrue(unknown.err().startsWith("terrace failover: acme-production: nope is not a replica of "
                + ResourceNames.cacheGroup(env) + "; its replicas: "), unknown.err());

        // Automatic failover is on (multi-az): TestFailover, which moto does not implement.
        CliRun cache = terrace("failover", env, "--cache", "--data", data.toString());
        assertEquals(1, cache.exit(), cache.printed());
        assertTrue(cache.err().contains("cache failover needs TestFailover, which the AWS endpoint does not implement"),
                cache.err());
    }
}
