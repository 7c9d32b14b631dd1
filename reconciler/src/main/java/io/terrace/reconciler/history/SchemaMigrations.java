package io.terrace.reconciler.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Brings a schema up to date with Flyway: the scripts {@code V1__what_it_does.sql},
 * {@code V2__….sql} of a classpath folder, and Java migrations, each applied once, checksummed
 * (an applied script edited afterwards stops the start with Flyway's validation error) and
 * recorded in a history table of the part's own. Flyway locks that table while it migrates (on
 * PostgreSQL with an advisory lock), so two processes never apply the same script.
 *
 * <p>The history's scripts ({@code migration/} next to this class) are plain SQL that H2 and
 * PostgreSQL both accept, so the single-node and the cluster database share one schema, recorded
 * in {@value #TABLE}. A database made before Flyway recorded its version in a table of its own
 * ({@value #LEGACY_TABLE} for the history); Flyway is then baselined at that version, so nothing
 * is applied twice and no row is touched.
 */
public final class SchemaMigrations {

    /** Flyway's record of the history's migrations. */
    public static final String TABLE = "flyway_history";
    /** Where the history's scripts are. */
    static final String LOCATION = "classpath:io/terrace/reconciler/history/migration";
    /** The record the history kept before Flyway: one row per applied script. */
    static final String LEGACY_TABLE = "schema_version";

    /** The version a database reached before Flyway, read from its old record; 0 when there is none. */
    @FunctionalInterface
    public interface LegacyVersion {
        int read(Connection c) throws SQLException;
    }

    private SchemaMigrations() {}

    /** Migrates the history's tables; returns the number of scripts applied. */
    public static int migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, TABLE, LOCATION,
                c -> legacyVersion(c, "SELECT MAX(version) FROM " + LEGACY_TABLE));
    }

    /**
     * Migrates one part's schema: baselines it at its pre-Flyway version the first time, then
     * applies what is newer. Errors come back as one {@link SQLException} carrying the database's
     * own error code.
     *
     * @param table    Flyway's history table for this part
     * @param location the part's scripts, {@code classpath:…}
     * @param legacy   the version the part's old record says, read only while Flyway has no record
     * @param java     migrations written in Java, numbered among the scripts
     */
    public static int migrate(DataSource dataSource, String table, String location, LegacyVersion legacy,
                              JavaMigration... java) throws SQLException {
        FluentConfiguration config = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .table(table)
                .locations(location)
                .javaMigrations(java)
                .loggers("slf4j")
                // The schema may already hold other parts' tables (on the cluster's PostgreSQL):
                // start this part's record below V1 rather than refuse a non-empty schema.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("empty");
        try {
            Flyway flyway = config.load();
            if (flyway.info().applied().length == 0) {
                int version;
                try (Connection c = dataSource.getConnection()) {
                    version = legacy.read(c);
                }
                if (version > 0) {
                    Flyway.configure(SchemaMigrations.class.getClassLoader()).configuration(flyway.getConfiguration())
                            .baselineVersion(String.valueOf(version))
                            .baselineDescription("adopted at V" + version + " from the record kept before Flyway")
                            .load()
                            .baseline();
                }
            }
            return flyway.migrate().migrationsExecuted;
        } catch (FlywayException e) {
            SQLException cause = sqlCause(e);
            throw new SQLException("schema migration (" + table + ") failed: "
                    + oneLine(cause == null ? e.getMessage() : cause.getMessage()),
                    cause == null ? null : cause.getSQLState(), cause == null ? 0 : cause.getErrorCode(), e);
        }
    }

    /** The integer a legacy query returns, 0 when its table does not exist (a new or a Flyway-only database). */
    public static int legacyVersion(Connection c, String query) throws SQLException {
        if (!tableExists(c, query)) {
            return 0;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean tableExists(Connection c, String query) throws SQLException {
        String table = query.replaceFirst("(?is).*\\bFROM\\s+(\\w+).*", "$1");
        var meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT), table.toLowerCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Flyway's reports span lines and rulers; a log line or a CLI error keeps their text on one line. */
    static String oneLine(String message) {
        return String.join("; ", String.valueOf(message).lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.matches("-+"))
                .toList());
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
