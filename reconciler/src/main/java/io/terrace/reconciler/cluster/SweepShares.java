package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Splits the drift sweep between the nodes by whole units, an AWS region each: a region's
 * listings (tagging, log groups, alarms…) are read once per observe whatever share of them is
 * wanted, so a node given a region reads its listings alone and the sweep's calls are one
 * daemon's, while each node's observe, and the memory it takes, falls with its share. Units go
 * to the nodes alive (those Quartz saw check in), heaviest first to the least loaded
 * ({@link #assign}). Each node's newest drift report is kept in the database, and any node
 * gathers them.
 */
public final class SweepShares {

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

    /**
     * This node's share among the nodes alive now: the environments of the units
     * ({@link #assign}) that fall to it. {@code unitByEnvironment} names each environment's unit.
     */
    public Predicate<String> mine(Map<String, String> unitByEnvironment) {
        Map<String, Integer> weights = new TreeMap<>();
        unitByEnvironment.values().forEach(unit -> weights.merge(unit, 1, Integer::sum));
        Map<String, String> owners = assign(weights, liveNodes());
        return environment -> nodeId.equals(owners.get(unitByEnvironment.getOrDefault(environment, environment)));
    }

    /**
     * Gives each unit whole to one node: the heaviest first (most environments, then by name), each
     * to the node with the fewest environments so far (then by name). Every node that sees the
     * same units and nodes computes the same answer; with fewer units than nodes, some nodes have
     * none.
     */
    static Map<String, String> assign(Map<String, Integer> weights, SortedSet<String> nodes) {
        Map<String, Integer> load = new TreeMap<>();
        nodes.forEach(node -> load.put(node, 0));
        Map<String, String> owners = new TreeMap<>();
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(unit -> {
                    String node = load.entrySet().stream()
                            .min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                            .orElseThrow().getKey();
                    owners.put(unit.getKey(), node);
                    load.merge(node, unit.getValue(), Integer::sum);
                });
        return owners;
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
