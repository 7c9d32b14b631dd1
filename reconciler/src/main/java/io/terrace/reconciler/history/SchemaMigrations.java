package io.terrace.reconciler.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Brings the history database up to date at start: the numbered scripts {@code migration/V1.sql},
 * {@code V2.sql}, … next to this class are applied in order, each once, and recorded in a
 * {@code schema_version} table. The scripts are plain SQL that H2 and PostgreSQL both accept, so
 * the single-node and the cluster database share one schema.
 */
public final class SchemaMigrations {

    private static final String CREATE_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER      NOT NULL PRIMARY KEY,
                description VARCHAR(200) NOT NULL,
                applied_at  TIMESTAMP WITH TIME ZONE NOT NULL
            )""";

    private final DataSource dataSource;
    private final Clock clock;

    public SchemaMigrations(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Applies every script newer than the recorded version; returns the versions applied. */
    public List<Integer> migrate() throws SQLException {
        List<Integer> applied = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_VERSION_TABLE);
            }
            int version = currentVersion(c);
            for (int next = version + 1; ; next++) {
                String script = script(next);
                if (script == null) {
                    break;
                }
                apply(c, next, script);
                applied.add(next);
            }
        }
        return applied;
    }

    /** The highest version recorded, 0 for an empty database. */
    public static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void apply(Connection c, int version, String script) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String statement : statements(script)) {
                s.execute(statement);
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, version);
                insert.setString(2, description(script));
                insert.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                insert.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("history schema migration V" + version + " failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Splits on semicolons that end a line; the scripts keep string literals free of them. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** The first comment line of a script, which says what it does. */
    private static String description(String script) {
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                String text = line.strip().substring(2).strip();
                return text.length() > 200 ? text.substring(0, 200) : text;
            }
        }
        return "";
    }

    private static String script(int version) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migration/V" + version + ".sql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
