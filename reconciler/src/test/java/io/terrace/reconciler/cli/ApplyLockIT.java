package io.terrace.reconciler.cli;

import static io.terrace.reconciler.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.LeaseTable;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.daemon.AccountLease;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terrace apply} and the apply lease a daemon holds in DynamoDB (moto): refused while a
 * daemon holds it, {@code --ignore-lock} goes ahead, and its own lease is given up at the end.
 */
@NeedsMoto
class ApplyLockIT {

    private static final LeaseTable.Claimant DAEMON =
            new LeaseTable.Claimant("ops-1-run", "ops-1", "https://git.example.com/acme/hosting-specs.git main");

    @TempDir
    Path repo;
    private String endpoint;
    private AwsClients check;
    private LeaseTable table;
    private final String id = AccountLease.id(Moto.REGION);

    @BeforeEach
    void setUp() throws IOException {
        Moto.reset();
        endpoint = Moto.endpoint().toString();
        check = Moto.clients();
        table = new LeaseTable(check.dynamoDb);
        SpecRepo.ofExamples(repo);
    }

    @AfterEach
    void tearDown() {
        check.close();
    }

    @Test
    void applyIsRefusedWithOneLineNamingTheDaemonThatHoldsTheLease() {
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        table.take(id, DAEMON, since, since, Duration.ofMinutes(5));

        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev");

        assertEquals(TerraceCli.BLOCKED, apply.exit(), apply.out() + apply.err());
        assertEquals("terrace apply: eu-west-1 is locked by ops-1 (https://git.example.com/acme/hosting-specs.git main) "
                + "since " + since + ": nothing applied (--ignore-lock applies anyway)\n", apply.withoutProgress().err());
        assertEquals(0, check.ecs.describeClusters(b -> b.clusters(ResourceNames.ecsCluster("blog-dev")))
                .clusters().stream().filter(c -> c.status().equals("ACTIVE")).count(), "nothing applied");
        assertTrue(table.read(id).orElseThrow().heldBy(DAEMON), "the daemon's lease is left alone");
    }

    @Test
    void ignoreLockAppliesAnyway() {
        Instant since = Instant.now();
        table.take(id, DAEMON, since, since, Duration.ofMinutes(5));

        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev",
                "--ignore-lock");

        assertEquals(0, apply.exit(), apply.out() + apply.err());
        assertEquals(1, check.ecs.describeClusters(b -> b.clusters(ResourceNames.ecsCluster("blog-dev")))
                .clusters().stream().filter(c -> c.status().equals("ACTIVE")).count());
    }

    @Test
    void anApplyTakesTheLeaseForItsDurationAndGivesItUpAfter() {
        CliRun apply = run("apply", "--auto-approve", "--repo", repo.toString(), "--endpoint-url", endpoint, "--env", "blog-dev");

        assertEquals(0, apply.exit(), apply.out() + apply.err());
        assertTrue(check.dynamoDb.listTables().tableNames().contains(LeaseTable.TABLE), "the apply took the lease");
        assertTrue(table.read(id).isEmpty(), "and released it when done");
        Instant now = Instant.now();
        assertTrue(table.take(id, DAEMON, now, now, Duration.ofMinutes(1)).heldBy(DAEMON), "a daemon takes it next");
    }
}
