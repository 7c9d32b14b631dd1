package io.terrace.reconciler.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the history's schema code did before Flyway, kept to build the databases that code left
 * behind: the same scripts, each applied in a transaction of its own and recorded in
 * {@code schema_version (version, description, applied_at)}.
 */
final class LegacyHistorySchema {

    static final List<String> SCRIPTS = List.of("V1__plan_and_apply_history.sql", "V2__index_on_start_time.sql");

    private LegacyHistorySchema() {}

    /** Applies the first {@code upTo} scripts as the old code did. */
    static void migrate(DataSource dataSource, int upTo) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS schema_version (
                            version     INTEGER      NOT NULL PRIMARY KEY,
                            description VARCHAR(200) NOT NULL,
                            applied_at  TIMESTAMP WITH TIME ZONE NOT NULL
                        )""");
            }
            for (int version = 1; version <= upTo; version++) {
                String script = script(SCRIPTS.get(version - 1));
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(script)) {
                        s.execute(statement);
                    }
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                        insert.setInt(1, version);
                        insert.setString(2, script.lines().findFirst().orElse("").replaceFirst("^--\\s*", ""));
                        insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                        insert.executeUpdate();
                    }
                    c.commit();
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static List<String> statements(String script) {
        return java.util.Arrays.stream(script.replaceAll("(?m)^\\s*--.*$", "").split(";\\s*(\\R|$)"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String script(String name) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
