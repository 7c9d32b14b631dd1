package io.terrace.reconciler.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Quartz's own PostgreSQL schema as migration V2 of the cluster's schema, read from the script
 * the Quartz jar ships ({@code org/quartz/impl/jdbcjobstore/tables_postgres.sql}) so the tables
 * always match the Quartz version on the class path. The script starts with {@code DROP TABLE}
 * statements and ends with {@code COMMIT}: both are left out, because the migration runs on a live
 * cluster's database inside Flyway's transaction and must never drop a table. Tables an operator
 * created by hand with that script before Terrace managed the schema are adopted as they are.
 */
public final class QuartzTables implements JavaMigration {

    public static final String TABLE_PREFIX = "QRTZ_";
    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    static final MigrationVersion VERSION = MigrationVersion.fromVersion("2");

    /** Every QRTZ_ table and index, without the script's drops and commit. */
    public static List<String> statements() {
        String script;
        try (InputStream in = org.quartz.Scheduler.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the Quartz jar has no " + SCRIPT);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCRIPT, e);
        }
        return split(script).stream()
                .filter(s -> {
                    String upper = s.toUpperCase(Locale.ROOT);
                    return !upper.startsWith("DROP ") && !upper.equals("COMMIT");
                })
                .toList();
    }

    /** Splits on semicolons that end a line; comments and blank lines go. */
    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    @Override
    public MigrationVersion getVersion() {
        return VERSION;
    }

    @Override
    public String getDescription() {
        return "Quartz tables from " + SCRIPT;
    }

    /**
     * None: the script follows the Quartz version on the class path, and a Quartz upgrade must not
     * stop every node at start. A Quartz upgrade that changes its tables gets a migration of its own.
     */
    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement s = context.getConnection().createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('qrtz_job_details') IS NOT NULL")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            for (String statement : statements()) {
                s.execute(statement);
            }
        }
    }
}
