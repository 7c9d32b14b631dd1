package io.terrace.reconciler.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Quartz's own PostgreSQL schema, read from the script the Quartz jar ships
 * ({@code org/quartz/impl/jdbcjobstore/tables_postgres.sql}) so the tables always match the
 * Quartz version on the class path. The script starts with {@code DROP TABLE} statements and
 * ends with {@code COMMIT}: both are left out, because the bootstrap runs on a live cluster's
 * database inside its own transaction and must never drop a table.
 */
public final class QuartzTables {

    public static final String SCOPE = "quartz";
    public static final String TABLE_PREFIX = "QRTZ_";
    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    private QuartzTables() {}

    /** Migration 1 of the {@code quartz} scope: every QRTZ_ table and index. */
    public static Migration migration() {
        String script;
        try (InputStream in = org.quartz.Scheduler.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the Quartz jar has no " + SCRIPT);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCRIPT, e);
        }
        Migration raw = new Migration(SCOPE, 1, "Quartz tables", script);
        List<String> kept = raw.statements().stream()
                .filter(s -> {
                    String upper = s.toUpperCase(Locale.ROOT);
                    return !upper.startsWith("DROP ") && !upper.equals("COMMIT");
                })
                .toList();
        return new Migration(SCOPE, 1, "Quartz tables from " + SCRIPT,
                kept.stream().map(s -> s + ";").collect(Collectors.joining("\n")));
    }
}
