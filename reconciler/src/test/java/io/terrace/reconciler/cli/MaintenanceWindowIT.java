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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terrace plan} and {@code apply} with a {@code maintenance.window} that is not now (two
 * hours, starting twelve hours from now): a new cache node type waits while the window
 * settings apply; {@code apply --now} applies it at once and records it as {@code now:cli}.
 */
@NeedsMoto
class MaintenanceWindowIT {

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

    private static String laterWindow() {
        ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC).plusHours(12);
        ZonedDateTime end = start.plusHours(2);
        return day(start) + String.format(Locale.ROOT, ":%02d:00-", start.getHour()) + day(end)
                + String.format(Locale.ROOT, ":%02d:00", end.getHour());
    }

    private static String day(ZonedDateTime t) {
        return t.getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT);
    }

    private String nodeType() {
        return check.elastiCache.describeReplicationGroups(r -> r.replicationGroupId(ResourceNames.cacheGroup("blog-dev")))
                .replicationGroups().get(0).cacheNodeType();
    }

    @Test
    void aNewCacheNodeTypeWaitsForTheWindowUnlessNow() throws Exception {
        assumeTrue(everyResourceTypeHasADriver(), "needs the drivers of every resource type");
        String[] blog = {"--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev"};
        CliRun first = run(concat("apply", blog, "--auto-approve"));
        assertEquals(0, first.exit(), first.printed());
        Path spec = repo.resolve("environments/blog-dev.yaml");
        String window = laterWindow();
        Files.writeString(spec, Files.readString(spec) + "maintenance:\n  window: " + window + "\n"
                + "cache:\n  nodeType: cache.t4g.medium\n");

        CliRun plan = run(concat("plan", blog));
        assertEquals(2, plan.exit(), plan.printed());
        assertTrue(plan.out().contains("~ update blog-dev/cache/replication-group (aws_elasticache_replication_group)\n"
                + "      # waits for maintenance window (next: "), plan.out());
        assertTrue(plan.out().contains("maintenanceWindow: "), "the window itself applies at once: " + plan.out());

        CliRun apply = run(concat("apply", blog, "--auto-approve"));
        assertEquals(0, apply.exit(), apply.printed());
        assertTrue(apply.out().contains("change(s) wait for the maintenance window"), apply.out());
        assertEquals("cache.t4g.small", nodeType(), "outside the window");
        assertEquals(window, check.rds.describeDBClusters(r -> r.dbClusterIdentifier(ResourceNames.dbCluster("blog-dev")))
                .dbClusters().get(0).preferredMaintenanceWindow());

        CliRun now = run(concat("apply", blog, "--auto-approve", "--now", "--data", data.toString()));
        assertEquals(0, now.exit(), now.printed());
        assertEquals("cache.t4g.medium", nodeType());
        assertEquals(0, run(concat("plan", blog)).exit(), "nothing left");
        try (HistoryStore history = HistoryStore.openEmbedded(data.resolve("history"), Clock.systemUTC())) {
            HistoryEntry entry = history.recent("blog-dev", 1).get(0);
            assertEquals("now:cli", entry.trigger());
            assertEquals(HistoryEntry.Kind.APPLY, entry.kind());
            assertTrue(entry.actions().stream().anyMatch(a -> a.address().equals("blog-dev/cache/replication-group")),
                    entry.actions().toString());
        }
    }

    private static String[] concat(String command, String[] args, String... more) {
        String[] all = new String[args.length + more.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(more, 0, all, 1 + args.length, more.length);
        return all;
    }
}
