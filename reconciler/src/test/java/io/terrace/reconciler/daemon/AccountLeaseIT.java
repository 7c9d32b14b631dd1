package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.LeaseTable;
import io.terrace.reconciler.aws.Moto;
import io.terrace.reconciler.aws.NeedsMoto;
import io.terrace.reconciler.engine.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Two daemons without {@code --cluster} on one account and region: the apply lease lives in
 * DynamoDB (moto, through the real SDK client); the environments live in one shared in-memory
 * cloud, so that which daemon applied is plain to see. Time is each daemon's injected clock.
 */
@NeedsMoto
class AccountLeaseIT {

    private static final Duration TTL = Duration.ofSeconds(60);
    private static final String IMAGE = "registry.example.com/acme/app:";

    @TempDir
    Path tmp;
    AwsClients aws;
    InMemoryCloud cloud = new InMemoryCloud();
    DaemonFixture alpha;
    DaemonFixture bravo;
    AccountLease alphaLease;
    AccountLease bravoLease;

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        alpha = new DaemonFixture(tmp.resolve("alpha"), cloud);
        bravo = new DaemonFixture(tmp.resolve("bravo"), cloud);
        // Two spec repositories that disagree on the image: a fight would flip it back and forth.
        alpha.origin.write(path("shop"), environment("shop", "1.0.0"));
        alpha.origin.commit("shop 1.0.0");
        bravo.origin.write(path("shop"), environment("shop", "2.0.0"));
        bravo.origin.commit("shop 2.0.0");
        alphaLease = lease("alpha", alpha.clock);
        bravoLease = lease("bravo", bravo.clock);
        alpha.lease = alphaLease.forPlans();
        bravo.lease = bravoLease.forPlans();
    }

    @AfterEach
    void tearDown() {
        alpha.close();
        bravo.close();
        alphaLease.close();
        bravoLease.close();
        aws.close();
    }

    @Test
    void theSecondDaemonPlansAndReportsTheHolderButAppliesNothing() throws Exception {
        alpha.start(c -> c.withNodeId("alpha"));
        assertEquals(IMAGE + "1.0.0", image());
        assertEquals("synced", alpha.json("/api/environments/shop").path("status").asText());

        bravo.start(c -> c.withNodeId("bravo"));
        for (int round = 0; round < 3; round++) {
            bravo.daemon.syncNow("shop");
            bravo.awaitIdle();
            alpha.sweep();
        }

        JsonNode seen = bravo.json("/api/environments/shop");
        assertEquals("out-of-sync", seen.path("status").asText(), seen.toString());
        assertEquals("locked by alpha (" + alpha.origin.dir() + " main) since 2025-06-01T12:00:00Z; "
                + seen.path("pendingChanges").asInt() + " change(s) planned, not applied", seen.path("reason").asText());
        assertTrue(seen.path("pendingChanges").asInt() > 0, seen.toString());
        assertEquals(IMAGE + "1.0.0", image(), "bravo applied nothing");
        assertTrue(cloud.applies("shop").stream().allMatch(a -> a.revision().equals(alpha.status("shop").revision())),
                "every apply came from alpha's repository: " + cloud.applies("shop"));
        assertEquals("synced", alpha.status("shop").condition().id());
        assertTrue(bravo.get("/metrics").body().contains("terrace_lease_held{region=\"eu-west-1\"} 0.0"));
        assertTrue(alpha.get("/metrics").body().contains("terrace_lease_held{region=\"eu-west-1\"} 1.0"));
        assertTrue(bravo.get("/").body().contains("locked by alpha"), "the dashboard says who holds it");
    }

    @Test
    void aCleanStopHandsTheLeaseOverAtOnce() throws Exception {
        alpha.start(c -> c.withNodeId("alpha"));
        bravo.start(c -> c.withNodeId("bravo"));
        assertTrue(bravo.status("shop").reason().startsWith("locked by alpha"), bravo.status("shop").reason());

        alpha.close();
        alphaLease.close();
        bravo.daemon.syncNow("shop");
        bravo.awaitIdle();

        assertEquals(IMAGE + "2.0.0", image());
        assertEquals(Condition.SYNCED, bravo.status("shop").condition(), bravo.status("shop").reason());
    }

    @Test
    void aHolderThatStopsRenewingLosesTheLeaseWhenItExpires() throws Exception {
        alpha.start(c -> c.withNodeId("alpha"));
        bravo.start(c -> c.withNodeId("bravo"));
        assertEquals(IMAGE + "1.0.0", image());

        // Alpha hangs (no renewal) for longer than the lease lives; both clocks move on.
        alpha.clock.advance(TTL.plusSeconds(1));
        bravo.clock.advance(TTL.plusSeconds(1));
        bravo.daemon.syncNow("shop");
        bravo.awaitIdle();
        assertEquals(IMAGE + "2.0.0", image(), "bravo took over");

        alpha.daemon.syncNow("shop");
        alpha.awaitIdle();
        assertEquals(IMAGE + "2.0.0", image(), "alpha, back, applies nothing");
        assertTrue(alpha.status("shop").reason().startsWith("locked by bravo (" + bravo.origin.dir() + " main) since "
                + bravo.clock.instant()), alpha.status("shop").reason());
    }

    @Test
    void heldLeasesAreRenewedEveryThirdOfTheirLifeAndLostWhenNotRenewed() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        AccountLease lease = lease("charlie", clock);
        LeaseTable table = new LeaseTable(aws.dynamoDb);

        assertInstanceOf(ApplyLease.Standing.Held.class, lease.standing(Moto.REGION));
        long writes = dynamoCalls();
        clock.advance(Duration.ofSeconds(19));
        assertInstanceOf(ApplyLease.Standing.Held.class, lease.standing(Moto.REGION));
        assertEquals(writes, dynamoCalls(), "no renewal before a third of the time to live");

        clock.advance(Duration.ofSeconds(2));
        lease.renew();
        LeaseTable.Lease stored = table.read(AccountLease.id(Moto.REGION)).orElseThrow();
        assertEquals(clock.instant().plus(TTL), stored.expiresAt(), "renewed at +21 s");
        assertEquals(Instant.parse("2026-01-01T10:00:00Z"), stored.acquiredAt());
        assertEquals(Optional.empty(), lease.lost(Moto.REGION));

        clock.advance(TTL);
        assertTrue(lease.lost(Moto.REGION).orElseThrow().contains("expired"), "an apply under way stops");

        lease.close();
        assertTrue(table.read(AccountLease.id(Moto.REGION)).isEmpty(), "released on close");
    }

    @Test
    void aLeaseThatCannotBeReadStopsEveryApply() throws Exception {
        try (DynamoDbClient dead = DynamoDbClient.builder().region(Moto.REGION)
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build()) {
            AccountLease unreachable = new AccountLease(region -> new LeaseTable(dead),
                    new LeaseTable.Claimant("delta-1", "delta", "specs main"), TTL, alpha.clock);
            alpha.lease = unreachable.forPlans();
            alpha.start(c -> c.withNodeId("delta"));

            EnvironmentStatus status = alpha.status("shop");
            assertEquals(Condition.OUT_OF_SYNC, status.condition());
            assertTrue(status.reason().startsWith("lease unreadable: terrace-locks in eu-west-1: "), status.reason());
            assertTrue(cloud.applies("shop").isEmpty(), "fails closed: nothing applied");
        }
    }

    private AccountLease lease(String node, MutableClock clock) {
        return new AccountLease(region -> new LeaseTable(aws.dynamoDb),
                new LeaseTable.Claimant(node + "-" + clock.instant(), node, repoOf(node) + " main"), TTL, clock);
    }

    private String repoOf(String node) {
        return node.equals("alpha") ? alpha.origin.dir().toString()
                : node.equals("bravo") ? bravo.origin.dir().toString() : "specs";
    }

    private String image() {
        return String.valueOf(cloud.resources.get("shop/web/task").attributes().get("image"));
    }

    private long dynamoCalls() {
        return aws.counter().byService().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("DynamoDb")).mapToLong(java.util.Map.Entry::getValue).sum();
    }
}
