package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conditional writes of the lease table against moto, with times given by the test. */
@NeedsMoto
class LeaseTableIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final LeaseTable.Claimant ALPHA = new LeaseTable.Claimant("alpha-1", "alpha", "/specs main");
    private static final LeaseTable.Claimant BRAVO = new LeaseTable.Claimant("bravo-1", "bravo", "/other blue");

    AwsClients aws;
    LeaseTable table;

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        table = new LeaseTable(aws.dynamoDb);
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    @Test
    void createsTheTableOnFirstUseTaggedAsTerraces() {
        LeaseTable.Lease lease = table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);

        assertTrue(lease.heldBy(ALPHA));
        assertEquals(T0.plus(TTL), lease.expiresAt());
        var description = aws.dynamoDb.describeTable(b -> b.tableName(LeaseTable.TABLE)).table();
        assertEquals("PAY_PER_REQUEST", description.billingModeSummary().billingModeAsString());
        var tags = aws.dynamoDb.listTagsOfResource(b -> b.resourceArn(description.tableArn())).tags();
        assertTrue(tags.stream().anyMatch(t -> t.key().equals(ObservedResource.MANAGED_BY) && t.value().equals("terrace")),
                tags.toString());
    }

    @Test
    void aLiveLeaseKeepsOthersOutAndNamesItsHolder() {
        table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);

        LeaseTable.Lease seen = table.take("apply/eu-west-1", BRAVO, T0.plusSeconds(59), T0.plusSeconds(59), TTL);

        assertFalse(seen.heldBy(BRAVO));
        assertEquals("alpha (/specs main) since 2026-01-01T10:00:00Z", seen.describe());
        assertEquals(T0.plus(TTL), seen.expiresAt());
    }

    @Test
    void renewalPushesExpiryAndKeepsTheFirstAcquisition() {
        table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);
        table.take("apply/eu-west-1", ALPHA, T0, T0.plusSeconds(50), TTL);

        LeaseTable.Lease seen = table.take("apply/eu-west-1", BRAVO, T0.plusSeconds(100), T0.plusSeconds(100), TTL);

        assertTrue(seen.heldBy(ALPHA), "renewed at +50 s, so alive until +110 s");
        assertEquals(T0, seen.acquiredAt());
        assertEquals(T0.plusSeconds(110), seen.expiresAt());
    }

    @Test
    void anExpiredLeaseIsTakenOver() {
        table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);

        LeaseTable.Lease taken = table.take("apply/eu-west-1", BRAVO, T0.plusSeconds(61), T0.plusSeconds(61), TTL);

        assertTrue(taken.heldBy(BRAVO));
        assertFalse(table.take("apply/eu-west-1", ALPHA, T0, T0.plusSeconds(62), TTL).heldBy(ALPHA),
                "the old holder is now locked out");
    }

    @Test
    void releaseFreesTheLeaseButNeverSomeoneElses() {
        table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);
        table.release("apply/eu-west-1", BRAVO);
        assertTrue(table.read("apply/eu-west-1").orElseThrow().heldBy(ALPHA), "bravo cannot release alpha's lease");

        table.release("apply/eu-west-1", ALPHA);

        assertTrue(table.read("apply/eu-west-1").isEmpty());
        assertTrue(table.take("apply/eu-west-1", BRAVO, T0, T0.plusSeconds(1), TTL).heldBy(BRAVO));
    }

    @Test
    void regionsHaveLeasesOfTheirOwn() {
        table.take("apply/eu-west-1", ALPHA, T0, T0, TTL);

        assertTrue(table.take("apply/us-west-2", BRAVO, T0, T0, TTL).heldBy(BRAVO));
    }
}
