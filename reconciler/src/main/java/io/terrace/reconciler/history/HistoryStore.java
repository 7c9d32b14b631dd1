package io.terrace.reconciler.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan and apply history, kept in a relational database through plain JDBC: an embedded H2
 * file under {@code --data} for a single daemon, PostgreSQL when daemons share work. The schema is
 * migrated on open.
 */
public final class HistoryStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.history");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The embedded database's file in its folder. */
    static final String FILE = "terrace.mv.db";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int MAX_ERROR = 4000;
    /** The width of {@code trigger_reason} (V3): reasons and who asked; more (many askers merged) is clipped. */
    private static final int MAX_TRIGGER = 1024;
    /** An apply with one of these outcomes confirms live state at its revision. */
    private static final List<String> CONFIRMING = List.of("applied", "no-changes");
    /** {@link #CONFIRMING} as an SQL list. */
    private static final String SUCCEEDED = CONFIRMING.stream().map(o -> "'" + o + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    /** Rows deleted per statement: short transactions never hold up the passes writing history. */
    private static final int PRUNE_BATCH = 1000;
    /**
     * One batch of entries to prune: started before the cutoff, not the newest entry of its kind
     * (plan, apply) of its environment, and not the newest successful apply, which gives
     * {@code lastAppliedRevision} after a restart. Rows only ever get newer ids, so a pass
     * recording meanwhile can only add reasons to keep an entry.
     */
    private static final String PRUNE = """
            DELETE FROM reconcile_history WHERE id IN (
                SELECT o.id FROM reconcile_history o
                WHERE o.started_at < ?
                  AND EXISTS (SELECT 1 FROM reconcile_history n
                              WHERE n.environment = o.environment AND n.kind = o.kind AND n.id > o.id)
                  AND (o.kind <> 'apply' OR o.outcome NOT IN %1$s
                       OR EXISTS (SELECT 1 FROM reconcile_history a
                                  WHERE a.environment = o.environment AND a.kind = 'apply'
                                    AND a.outcome IN %1$s AND a.id > o.id))
                ORDER BY o.id
                FETCH FIRST ? ROWS ONLY)""".formatted(SUCCEEDED);

    /** Connections to the history database, and how to let them go. */
    public record Pool(DataSource dataSource, AutoCloseable closer) {}

    private final Supplier<Pool> opener;
    private Pool pool;
    /** Set by a failed statement: the next one opens a new pool rather than reuse a dead one. */
    private boolean broken;

    /** Closed with the store: what owns a data source handed in from outside. */
    private final AutoCloseable owner;

    HistoryStore(Supplier<Pool> opener, AutoCloseable owner) {
        this.opener = opener;
        this.owner = owner;
        this.pool = opener.get();
    }

    /**
     * Opens (creating it if needed) the embedded database {@code dir/terrace.mv.db}. H2 locks the
     * file, so a second daemon on the same data folder fails here with a clear message. A file H2
     * cannot read (corrupt, truncated) is moved aside to {@code terrace.corrupt-<time>.mv.db}
     * with a warning and a new, empty history is started: the history is a record, and live
     * state, not the history, is what the daemon converges from.
     */
    public static HistoryStore openEmbedded(Path dir, Clock clock) throws SQLException {
        // DB_CLOSE_ON_EXIT=FALSE: the daemon's own shutdown hook still records the last applies
        // after the JVM starts exiting, and closes the database itself. WRITE_DELAY=0: each commit
        // reaches the file before the statement returns; H2's default holds it in memory for up to
        // half a second, and a process killed then (kill -9, the OOM killer) lost the entry.
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("terrace") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        Supplier<Pool> opener = () -> {
            JdbcConnectionPool pool = JdbcConnectionPool.create(url, "terrace", "");
            return new Pool(pool, pool::dispose);
        };
        try {
            return open(opener, () -> { }, clock);
        } catch (SQLException e) {
            Path file = dir.resolve(FILE);
            if (!unreadable(e) || !Files.isReadable(file)) {
                throw e;
            }
            Path aside = dir.resolve("terrace.corrupt-" + STAMP.format(clock.instant().atOffset(ZoneOffset.UTC)) + ".mv.db");
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                throw new SQLException("history database " + file + " cannot be read (" + e.getMessage()
                        + ") nor moved aside: " + moveFailed.getMessage(), e);
            }
            LOG.atError().setMessage("history-corrupt").addKeyValue("file", file).addKeyValue("moved_to", aside)
                    .addKeyValue("error", e.getMessage())
                    .addKeyValue("action", "started a new, empty history; the old file is kept for inspection").log();
            return open(opener, () -> { }, clock);
        }
    }

    /** Uses an existing data source (PostgreSQL in cluster mode), migrating it first. */
    public static HistoryStore open(DataSource dataSource, AutoCloseable closer, Clock clock) throws SQLException {
        // The data source is its owner's pool: it reconnects by itself, and is closed only with the store.
        return open(() -> new Pool(dataSource, () -> { }), closer, clock);
    }

    /** A store that opens a new pool with {@code opener} after a failed statement. */
    static HistoryStore open(Supplier<Pool> opener, AutoCloseable owner, Clock clock) throws SQLException {
        HistoryStore store = new HistoryStore(opener, owner);
        try {
            SchemaMigrations.migrate(store.dataSource());
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** H2's answers for a file it cannot make sense of (not for a lock held by another daemon). */
    private static boolean unreadable(SQLException e) {
        return switch (e.getErrorCode()) {
            case ErrorCode.FILE_CORRUPTED_1, ErrorCode.IO_EXCEPTION_1, ErrorCode.FILE_VERSION_ERROR_1,
                 ErrorCode.GENERAL_ERROR_1 -> true;
            default -> false;
        };
    }

    /**
     * The pool to use: a new one after a failed statement. An embedded H2 database that hit a
     * full disk closes itself; connections of the old pool would keep it (and its file lock)
     * half-open and fail forever, while a new pool reopens the file once space is back.
     */
    private synchronized DataSource dataSource() {
        if (broken) {
            closeQuietly(pool);
            pool = opener.get();
            broken = false;
        }
        return pool.dataSource();
    }

    private synchronized void broke() {
        broken = true;
    }

    public void record(HistoryEntry e) {
        String sql = """
                INSERT INTO reconcile_history (kind, environment, revision, trigger_reason, started_at,
                    duration_ms, outcome, creates, updates, replaces, deletes, actions, error, node_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, e.kind().name().toLowerCase(java.util.Locale.ROOT));
            ps.setString(2, e.environment());
            ps.setString(3, e.revision());
            ps.setString(4, clip(e.trigger(), MAX_TRIGGER));
            ps.setObject(5, OffsetDateTime.ofInstant(e.startedAt(), ZoneOffset.UTC));
            ps.setLong(6, e.duration().toMillis());
            ps.setString(7, e.outcome());
            ps.setInt(8, (int) e.count("create"));
            ps.setInt(9, (int) e.count("update"));
            ps.setInt(10, (int) e.count("replace"));
            ps.setInt(11, (int) e.count("delete"));
            ps.setString(12, JSON.writeValueAsString(e.actions()));
            ps.setString(13, e.error().map(HistoryStore::clip).orElse(null));
            ps.setString(14, e.nodeId());
            ps.executeUpdate();
        } catch (SQLException ex) {
            broke();
            throw new IllegalStateException("cannot record history: " + ex.getMessage(), ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot record history: " + ex.getMessage(), ex);
        }
    }

    /** The newest entries of one environment, newest first. */
    public List<HistoryEntry> recent(String environment, int limit) {
        return query("SELECT * FROM reconcile_history WHERE environment = ? ORDER BY id DESC", limit, environment);
    }

    /** The newest entries across environments, newest first. */
    public List<HistoryEntry> recent(int limit) {
        return query("SELECT * FROM reconcile_history ORDER BY id DESC", limit);
    }

    /** The revision of the newest apply that succeeded (applied, or nothing left to do). */
    public Optional<String> lastAppliedRevision(String environment) {
        String sql = """
                SELECT revision FROM reconcile_history
                WHERE environment = ? AND kind = 'apply' AND outcome IN %s
                ORDER BY id DESC""".formatted(SUCCEEDED);
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException ex) {
            broke();
            throw new IllegalStateException("cannot read history: " + ex.getMessage(), ex);
        }
    }

    /** Whether an apply with this outcome confirmed live state at its revision. */
    public static boolean confirmsLiveState(String outcome) {
        return CONFIRMING.contains(outcome);
    }

    /** The id of the newest entry, 0 when there is none. */
    public long newestId() {
        return number("SELECT COALESCE(MAX(id), 0) FROM reconcile_history");
    }

    /**
     * The applies that nodes other than {@code node} recorded with ids in ({@code afterId},
     * {@code upToId}], oldest first: what a cluster node learns of the passes the others ran.
     */
    public List<HistoryEntry> appliesByOthers(long afterId, long upToId, String node) {
        return query("""
                SELECT * FROM reconcile_history
                WHERE id > ? AND id <= ? AND kind = 'apply' AND node_id <> ?
                ORDER BY id""", Integer.MAX_VALUE, afterId, upToId, node);
    }

    /**
     * Deletes the entries that started before {@code cutoff}, keeping for every environment its
     * newest plan, its newest apply and its newest successful apply whatever their age, so the
     * API still shows an environment's last pass and a restart still knows what was applied.
     * Returns the number of entries deleted.
     */
    public long prune(Instant cutoff) {
        return prune(cutoff, PRUNE_BATCH);
    }

    long prune(Instant cutoff, int batchSize) {
        long deleted = 0;
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            ps.setInt(2, batchSize);
            int batch;
            do {
                batch = ps.executeUpdate();
                deleted += batch;
            } while (batch == batchSize);
            return deleted;
        } catch (SQLException ex) {
            broke();
            throw new IllegalStateException("cannot prune history after " + deleted + " entries: " + ex.getMessage(), ex);
        }
    }

    public long count() {
        return number("SELECT COUNT(*) FROM reconcile_history");
    }

    private long number(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            broke();
            throw new IllegalStateException("cannot read history: " + ex.getMessage(), ex);
        }
    }

    private List<HistoryEntry> query(String sql, int limit, Object... parameters) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.setMaxRows(limit);
            List<HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        } catch (SQLException ex) {
            broke();
            throw new IllegalStateException("cannot read history: " + ex.getMessage(), ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot read history: " + ex.getMessage(), ex);
        }
    }

    private static HistoryEntry entry(ResultSet rs) throws SQLException, JsonProcessingException {
        return new HistoryEntry(
                rs.getLong("id"),
                HistoryEntry.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                rs.getString("environment"),
                rs.getString("revision"),
                rs.getString("trigger_reason"),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                Duration.ofMillis(rs.getLong("duration_ms")),
                rs.getString("outcome"),
                JSON.readValue(rs.getString("actions"), new TypeReference<List<HistoryEntry.Action>>() {}),
                Optional.ofNullable(rs.getString("error")),
                rs.getString("node_id"));
    }

    private static String clip(String s) {
        return clip(s, MAX_ERROR);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public synchronized void close() {
        closeQuietly(pool);
        try {
            owner.close();
        } catch (Exception e) {
            // As for the pool: nothing to recover.
        }
    }

    private static void closeQuietly(Pool pool) {
        try {
            pool.closer().close();
        } catch (Exception e) {
            // Closing the pool only releases connections; nothing to recover.
        }
    }
}
