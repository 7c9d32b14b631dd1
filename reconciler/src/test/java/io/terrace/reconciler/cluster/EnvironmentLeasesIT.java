package io.terrace.reconciler.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnvironmentLeasesIT {

    private String url;
    private ClusterDatabase a;
    private ClusterDatabase b;

    @BeforeEach
    void nodes() {
        url = TestPostgres.freshDatabase();
        a = ClusterDatabase.open(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(5), "node-a", 1));
        b = ClusterDatabase.open(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(5), "node-b", 1));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** Whether any session holds the lease of {@code environment}, as pg_locks shows it. */
    private boolean isHeld(String environment) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND classid = ?::oid AND objid = hashtext(?)::oid AND objsubid = 2 AND granted")) {
            ps.setLong(1, Integer.toUnsignedLong(EnvironmentLeases.LOCK_NAMESPACE));
            ps.setString(2, environment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Test
    void anEnvironmentLeasedByOneNodeIsRefusedToAnother() throws Exception {
        EnvironmentLeases onA = new EnvironmentLeases(a);
        EnvironmentLeases onB = new EnvironmentLeases(b);
        try (EnvironmentLeases.Lease lease = onA.tryAcquire("acme-production").orElseThrow()) {
            assertTrue(onB.tryAcquire("acme-production").isEmpty());
            assertTrue(isHeld("acme-production"));
            try (EnvironmentLeases.Lease other = onB.tryAcquire("acme-staging").orElseThrow()) {
                assertEquals(Optional.empty(), other.stopReason(), "other environments are free");
            }
            assertEquals(Optional.empty(), lease.stopReason());
        }
        assertFalse(isHeld("acme-production"));
        onB.tryAcquire("acme-production").orElseThrow().close();
    }

    @Test
    void aLeaseWhoseSessionIsCutStopsTheApplyAndFreesTheEnvironment() throws Exception {
        EnvironmentLeases onA = new EnvironmentLeases(a);
        EnvironmentLeases.Lease lease = onA.tryAcquire("acme-production").orElseThrow();
        try (Connection admin = DriverManager.getConnection(url);
             PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND objid = hashtext(?)::oid")) {
            ps.setString(1, "acme-production");
            ps.executeQuery().close();
        }
        assertEquals(Optional.of("lost the cluster lease on acme-production: the database session ended"),
                lease.stopReason());
        EnvironmentLeases onB = new EnvironmentLeases(b);
        await().atMost(Duration.ofSeconds(10)).until(() -> !isHeld("acme-production"));
        onB.tryAcquire("acme-production").orElseThrow().close();
        lease.close();
    }
}
