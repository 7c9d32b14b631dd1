package io.terrace.reconciler.cluster;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Splits the drift sweep between the nodes: each node observes only its share of the
 * environments, so a node's memory and its sweep's time fall with the number of nodes, and the
 * AWS calls of a sweep are not multiplied by it. An environment's node is chosen by rendezvous
 * hashing over the nodes alive (those Quartz saw check in): the same on every node that sees the
 * same nodes, and when a node joins or leaves only its own share moves. Each node's newest drift
 * report is kept in the database, and any node gathers them.
 */
public final class SweepShares {

    private static final HashFunction HASH = Hashing.murmur3_32_fixed();
    /** Quartz's own grace before it calls a node that stopped checking in failed. */
    private static final long CHECKIN_GRACE_MILLIS = 7_500;

    private final DataSource dataSource;
    private final String nodeId;

    public SweepShares(DataSource dataSource, String nodeId) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
    }

    /**
     * The nodes alive now, this one always among them: those whose scheduler checked in within
     * its check-in interval and Quartz's grace, as Quartz itself decides which nodes failed.
     */
    public SortedSet<String> liveNodes() {
        SortedSet<String> nodes = new TreeSet<>();
        nodes.add(nodeId);
        String sql = "SELECT instance_name FROM " + QuartzTables.TABLE_PREFIX + "scheduler_state"
                + " WHERE sched_name = ? AND last_checkin_time + checkin_interval + ? >= ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ClusterSchedulerProperties.SCHEDULER_NAME);
            ps.setLong(2, CHECKIN_GRACE_MILLIS);
            ps.setLong(3, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cluster's nodes: " + e.getMessage(), e);
        }
        return nodes;
    }

    /** This node's share among the nodes alive now. */
    public Predicate<String> mine() {
        SortedSet<String> nodes = liveNodes();
        return environment -> owner(environment, nodes).equals(nodeId);
    }

    /** The node of {@code nodes} whose hash with the environment's name is highest. */
    static String owner(String environment, Collection<String> nodes) {
        return nodes.stream().max(Comparator.comparingLong((String node) -> Integer.toUnsignedLong(
                HASH.hashString(node + "\n" + environment, StandardCharsets.UTF_8).asInt()))
                .thenComparing(Comparator.naturalOrder())).orElseThrow();
    }

    /** Keeps {@code report} (JSON) as this node's newest. */
    public void publish(Instant at, String report) {
        String sql = """
                INSERT INTO terrace_drift_shares (node_id, swept_at, report) VALUES (?, ?, ?)
                ON CONFLICT (node_id) DO UPDATE SET swept_at = EXCLUDED.swept_at, report = EXCLUDED.report""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, nodeId);
            ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(3, report);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot share the drift report: " + e.getMessage(), e);
        }
    }

    /**
     * Every node's newest report from a sweep after {@code since}, oldest first: a node gone for
     * longer has had its share swept by the others since.
     */
    public List<String> reports(Instant since) {
        String sql = "SELECT report FROM terrace_drift_shares WHERE swept_at >= ? ORDER BY swept_at, node_id";
        List<String> reports = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reports.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the nodes' drift reports: " + e.getMessage(), e);
        }
        return reports;
    }
}
