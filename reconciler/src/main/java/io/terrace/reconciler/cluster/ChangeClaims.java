package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Makes a commit start one pass per changed environment across the cluster, not one per node.
 * Every node keeps its own clone and polls it (so each sees a PAUSE within one poll interval),
 * and so every node notices the same change; the first to claim (environment, revision)
 * schedules the pass, the others see the claim and do nothing. A claim older than
 * {@code reclaimAfter} can be claimed again: a cluster restarted at the same commit still
 * gives each environment a start-up pass.
 */
public final class ChangeClaims {

    private final DataSource dataSource;
    private final String nodeId;

    public ChangeClaims(DataSource dataSource, String nodeId) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
    }

    /** True when this node won the claim and should schedule the pass. */
    public boolean claim(String environment, String revision, Duration reclaimAfter) {
        String sql = """
                INSERT INTO terrace_change_claims AS c (environment, revision, claimed_by, claimed_at)
                VALUES (?, ?, ?, clock_timestamp())
                ON CONFLICT (environment, revision) DO UPDATE
                    SET claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at
                    WHERE c.claimed_at < clock_timestamp() - make_interval(secs => ?)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            ps.setString(2, revision);
            ps.setString(3, nodeId);
            ps.setDouble(4, reclaimAfter.toMillis() / 1000.0);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            // Without the database no pass can be scheduled anyway; the next drift sweep covers it.
            throw new IllegalStateException("cannot claim " + environment + "@" + revision + ": " + e.getMessage(), e);
        }
    }
}
