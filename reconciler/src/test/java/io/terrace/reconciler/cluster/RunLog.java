package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The test's record of job runs, kept in the cluster's database so every node writes to it and
 * every time comes from one clock, the database server's.
 */
final class RunLog {

    record Run(long id, String key, String node, boolean recovering, Instant started, Optional<Instant> finished) {}

    private final String url;

    RunLog(String url) throws SQLException {
        this.url = url;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS runs (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL,"
                    + " node TEXT NOT NULL, recovering BOOLEAN NOT NULL,"
                    + " started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), finished_at TIMESTAMPTZ)");
        }
    }

    static long started(DataSource node, String key, String nodeId, boolean recovering) throws SQLException {
        try (Connection c = node.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO runs (key, node, recovering) VALUES (?, ?, ?) RETURNING id")) {
            ps.setString(1, key);
            ps.setString(2, nodeId);
            ps.setBoolean(3, recovering);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void finished(DataSource node, long run) throws SQLException {
        try (Connection c = node.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET finished_at = clock_timestamp() WHERE id = ?")) {
            ps.setLong(1, run);
            ps.executeUpdate();
        }
    }

    List<Run> runs() throws SQLException {
        List<Run> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, key, node, recovering, started_at, finished_at FROM runs ORDER BY id")) {
            while (rs.next()) {
                OffsetDateTime finished = rs.getObject(6, OffsetDateTime.class);
                out.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(finished).map(OffsetDateTime::toInstant)));
            }
        }
        return out;
    }

    /**
     * Pairs of runs of the same key whose times overlap; a run that never finished (its node
     * died) counts as running until {@code openUntil}.
     */
    List<String> overlaps(Instant openUntil) throws SQLException {
        List<Run> runs = runs();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                Run a = runs.get(i);
                Run b = runs.get(j);
                Instant aEnd = a.finished().orElse(openUntil);
                Instant bEnd = b.finished().orElse(openUntil);
                if (a.key().equals(b.key()) && a.started().isBefore(bEnd) && b.started().isBefore(aEnd)) {
                    out.add(a + " overlaps " + b);
                }
            }
        }
        return out;
    }

    Instant now() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    static Duration between(Instant a, Instant b) {
        return Duration.between(a, b);
    }
}
