package io.terrace.reconciler.cluster;

import io.terrace.reconciler.engine.SharedDetails;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The nodes' detail reads in {@code terrace_detail_reads}: each published detail replaces the
 * row of its (environment, detail) and takes the next number of a sequence; a node takes in the
 * rows numbered after the last it took, written by the others. A row whose writer commits after
 * a reader passed its number is missed by that reader: a read is then read again from AWS when
 * it falls due, and a forget reaches that reader only when the details fall due, as it did
 * before they were shared. Times are the readers' clocks (nodes of a cluster keep synchronised
 * clocks).
 */
public final class SharedDetailReads implements SharedDetails {

    private final DataSource dataSource;
    private final String node;
    private long taken = -1;

    public SharedDetailReads(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    @Override
    public void publish(List<Detail> details) {
        if (details.isEmpty()) {
            return;
        }
        String upsert = """
                INSERT INTO terrace_detail_reads (environment, detail, seq, node, summary, read_at, value)
                VALUES (?, ?, nextval('terrace_detail_reads_seq'), ?, ?, ?, ?)
                ON CONFLICT (environment, detail) DO UPDATE SET seq = EXCLUDED.seq, node = EXCLUDED.node,
                    summary = EXCLUDED.summary, read_at = EXCLUDED.read_at, value = EXCLUDED.value""";
        String forget = "DELETE FROM terrace_detail_reads WHERE environment IN (?, '') AND detail <> ''";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement(upsert); PreparedStatement del = c.prepareStatement(forget)) {
                for (Detail d : details) {
                    if (d.forgets()) {
                        up.executeBatch();
                        del.setString(1, d.environment());
                        del.executeUpdate();
                    }
                    up.setString(1, d.environment());
                    up.setString(2, d.key());
                    up.setString(3, node);
                    up.setString(4, d.summary());
                    up.setObject(5, OffsetDateTime.ofInstant(d.readAt(), ZoneOffset.UTC));
                    up.setString(6, d.value());
                    up.addBatch();
                }
                up.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot share " + details.size() + " detail reads: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Detail> news() {
        String sql = taken < 0
                ? "SELECT environment, detail, seq, summary, read_at, value FROM terrace_detail_reads ORDER BY seq"
                : "SELECT environment, detail, seq, summary, read_at, value FROM terrace_detail_reads"
                        + " WHERE seq > ? AND node <> ? ORDER BY seq";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (taken >= 0) {
                ps.setLong(1, taken);
                ps.setString(2, node);
            }
            List<Detail> news = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    news.add(new Detail(rs.getString(1), rs.getString(2), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6)));
                    taken = Math.max(taken, rs.getLong(3));
                }
            }
            taken = Math.max(taken, 0);
            return news;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shared detail reads: " + e.getMessage(), e);
        }
    }

    @Override
    public void prune(Instant before) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM terrace_detail_reads WHERE read_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the shared detail reads: " + e.getMessage(), e);
        }
    }
}
