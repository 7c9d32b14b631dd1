package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the shared PostgreSQL schema up to date when a node starts, safely when several nodes
 * start at once. All of it happens in one transaction that first takes a transaction-scoped
 * advisory lock, so nodes migrate one after the other and the later ones find nothing to do;
 * PostgreSQL's DDL is transactional, so a node that dies half-way leaves no half-made schema.
 * The primary key of {@code terrace_schema_migrations} (scope, version) is the second guard:
 * were the lock ever bypassed, a duplicate migration would fail and roll back.
 */
public final class SchemaMigrator {

    /** The advisory lock key: "terrace\0" as a 64-bit number, so it will not clash with others. */
    static final long LOCK_KEY = 0x7465727261636500L;
    static final String TABLE = "terrace_schema_migrations";

    private static final Logger LOG = LoggerFactory.getLogger("terrace.cluster");

    private final DataSource dataSource;
    private final String nodeId;

    public SchemaMigrator(DataSource dataSource, String nodeId) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
    }

    /** What one bootstrap did: the migrations this node applied (empty when up to date). */
    public record Result(List<Migration> applied, List<Migration> adopted) {
        public Result {
            applied = List.copyOf(applied);
            adopted = List.copyOf(adopted);
        }
    }

    /** Applies the migrations not yet recorded, in scope then version order. */
    public Result migrate(List<Migration> migrations) throws SQLException {
        List<Migration> ordered = new ArrayList<>(migrations);
        ordered.sort(Comparator.comparing(Migration::scope).thenComparingInt(Migration::version));
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Result result = migrateLocked(c, ordered);
                c.commit();
                result.applied().forEach(m -> LOG.info("event=schema-migration node={} scope={} version={} description=\"{}\"",
                        nodeId, m.scope(), m.version(), m.description()));
                result.adopted().forEach(m -> LOG.info("event=schema-adopted node={} scope={} version={} description=\"{}\"",
                        nodeId, m.scope(), m.version(), m.description()));
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private Result migrateLocked(Connection c, List<Migration> ordered) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + " scope VARCHAR(40) NOT NULL,"
                    + " version INTEGER NOT NULL,"
                    + " description VARCHAR(250) NOT NULL,"
                    + " checksum VARCHAR(64) NOT NULL,"
                    + " applied_by VARCHAR(200) NOT NULL,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (scope, version))");
        }
        Map<String, String> done = appliedChecksums(c);
        List<Migration> applied = new ArrayList<>();
        List<Migration> adopted = new ArrayList<>();
        for (Migration m : ordered) {
            String key = m.scope() + ":" + m.version();
            String checksum = m.checksum();
            if (done.containsKey(key)) {
                if (!done.get(key).equals(checksum)) {
                    LOG.warn("schema migration {} {} changed after it was applied; the database keeps the applied one",
                            m.scope(), m.version());
                }
                continue;
            }
            if (isQuartzInstalledByHand(c, m)) {
                adopted.add(m);
            } else {
                try (Statement s = c.createStatement()) {
                    for (String statement : m.statements()) {
                        s.execute(statement);
                    }
                }
                applied.add(m);
            }
            record(c, m, checksum);
        }
        return new Result(applied, adopted);
    }

    /**
     * An operator may have run Quartz's script before Terrace managed the schema: its tables
     * are then taken as migration 1 instead of failing on "relation already exists".
     */
    private static boolean isQuartzInstalledByHand(Connection c, Migration m) throws SQLException {
        if (!m.scope().equals(QuartzTables.SCOPE) || m.version() != 1) {
            return false;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('qrtz_job_details') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static Map<String, String> appliedChecksums(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT scope, version, checksum FROM " + TABLE)) {
            while (rs.next()) {
                out.put(rs.getString(1) + ":" + rs.getInt(2), rs.getString(3));
            }
        }
        return out;
    }

    private void record(Connection c, Migration m, String checksum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (scope, version, description, checksum, applied_by) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, m.scope());
            ps.setInt(2, m.version());
            ps.setString(3, m.description().length() > 250 ? m.description().substring(0, 250) : m.description());
            ps.setString(4, checksum);
            ps.setString(5, nodeId);
            ps.executeUpdate();
        }
    }
}
