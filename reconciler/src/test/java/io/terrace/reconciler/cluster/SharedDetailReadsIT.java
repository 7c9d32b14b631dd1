package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.engine.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' detail reads shared through a real PostgreSQL: what one read, the other does not
 * read again within the interval; what one forgot (an apply), the other reads again.
 */
class SharedDetailReadsIT {

    private static final Duration INTERVAL = Duration.ofMinutes(30);
    private static final Map<String, String> TAGS = Map.of("terrace:environment", "acme-production");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T03:00:00Z"));
    private ClusterDatabase db;

    @BeforeEach
    void database() throws Exception {
        db = ClusterDatabase.open(ClusterOptions.parse(TestPostgres.freshDatabase(), Map.of(), Duration.ofSeconds(5),
                "node-a", 4));
        ClusterSchema.bootstrap(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private DetailReads node(String id) {
        return DetailReads.every(INTERVAL, clock).sharedThrough(new SharedDetailReads(db.dataSource(), id));
    }

    /** Reads the bucket's settings on {@code node} as an observe does, counting the reads from AWS. */
    private static Map<?, ?> observe(DetailReads node, AtomicInteger fromAws, String versioning) {
        node.exchange();
        Supplier<Map<String, String>> read = () -> {
            fromAws.incrementAndGet();
            return Map.of("versioning", versioning);
        };
        Map<?, ?> value = node.read("acme-production", "s3:acme-production-assets", TAGS, read);
        node.exchange();
        return value;
    }

    @Test
    void aDetailOneNodeReadIsNotReadAgainByAnother() {
        DetailReads a = node("node-a");
        DetailReads b = node("node-b");
        AtomicInteger fromAws = new AtomicInteger();
        assertEquals(Map.of("versioning", "Enabled"), observe(a, fromAws, "Enabled"));
        assertEquals(Map.of("versioning", "Enabled"), observe(b, fromAws, "Suspended"), "node b uses node a's read");
        assertEquals(1, fromAws.get());

        DetailReads c = node("node-c");
        assertEquals(Map.of("versioning", "Enabled"), observe(c, fromAws, "Suspended"), "a node joining later too");
        assertEquals(1, fromAws.get());

        clock.advance(INTERVAL);
        assertEquals(Map.of("versioning", "Suspended"), observe(b, fromAws, "Suspended"), "read again when due");
        assertEquals(2, fromAws.get());
        assertEquals(Map.of("versioning", "Suspended"), observe(a, fromAws, "Enabled"), "by one node for all");
        assertEquals(2, fromAws.get());
    }

    @Test
    void anApplyOnOneNodeMakesEveryNodeReadAgain() {
        DetailReads a = node("node-a");
        DetailReads b = node("node-b");
        AtomicInteger fromAws = new AtomicInteger();
        observe(a, fromAws, "Enabled");
        observe(b, fromAws, "Enabled");
        assertEquals(1, fromAws.get());

        clock.advance(Duration.ofSeconds(5));
        a.forget("acme-production");
        assertEquals(Map.of("versioning", "Suspended"), observe(b, fromAws, "Suspended"),
                "node b reads again what node a's apply changed");
        assertEquals(2, fromAws.get());
        assertEquals(Map.of("versioning", "Suspended"), observe(a, fromAws, "Enabled"), "and node a uses that read");
        assertEquals(2, fromAws.get());

        DetailReads c = node("node-c");
        assertEquals(Map.of("versioning", "Suspended"), observe(c, fromAws, "Enabled"),
                "a node joining later finds only the read after the apply");
        assertEquals(2, fromAws.get());
    }

    @Test
    void whatWasReadLongerThanTheIntervalAgoIsDroppedWhenANodeJoins() {
        AtomicInteger fromAws = new AtomicInteger();
        observe(node("node-a"), fromAws, "Enabled");
        clock.advance(INTERVAL.plusSeconds(1));
        observe(node("node-b"), fromAws, "Suspended");
        assertEquals(2, fromAws.get());
        try (var c = db.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM terrace_detail_reads")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "only node b's read is left");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
