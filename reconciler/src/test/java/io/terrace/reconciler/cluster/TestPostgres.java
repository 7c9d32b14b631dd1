package io.terrace.reconciler.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the cluster tests use: {@code -Dterrace.test.postgres=jdbc:postgresql://…}
 * when given (a server started by a script), else one embedded server per test JVM whose
 * binaries come from a Maven artifact. Every test gets a database of its own.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String adminUrl;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {}

    /** A new, empty database: its JDBC URL with the user in it. */
    public static synchronized String freshDatabase() {
        String admin = adminUrl();
        String name = "terrace_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return replaceDatabase(admin, name);
    }

    private static String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String given = System.getProperty("terrace.test.postgres", "");
        if (!given.isBlank()) {
            adminUrl = given;
            return adminUrl;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // The JVM is going away; the server's directory is temporary.
            }
        }));
        adminUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres?user=postgres";
        return adminUrl;
    }

    private static String replaceDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }
}
