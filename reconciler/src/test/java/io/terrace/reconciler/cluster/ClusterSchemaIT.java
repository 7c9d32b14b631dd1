package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.history.SchemaMigrations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster's schema on PostgreSQL: Flyway under the bootstrap lock, and databases made before Flyway. */
class ClusterSchemaIT {

    private String url;

    @BeforeEach
    void database() {
        url = TestPostgres.freshDatabase();
    }

    private ClusterDatabase open(String node) {
        return ClusterDatabase.open(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(5), node, 2));
    }

    @Test
    void createsTheClusterAndQuartzTablesAndTheHistoryEachWithItsRecord() throws Exception {
        try (ClusterDatabase db = open("node-a")) {
            assertEquals(4, ClusterSchema.bootstrap(db, SchemaMigrations::migrate));
            assertEquals(0, ClusterSchema.bootstrap(db, SchemaMigrations::migrate), "a second start changes nothing");
        }
        assertEquals(11, count("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'"));
        assertEquals(List.of("1:SQL:change claims and observations", "2:JDBC:Quartz tables from " + QuartzTables.SCRIPT,
                        "3:SQL:shared detail reads", "4:SQL:drift shares"),
                strings("SELECT version || ':' || type || ':' || description FROM flyway_cluster"
                        + " WHERE success ORDER BY installed_rank"));
        assertEquals(List.of("0:BASELINE", "1:SQL", "2:SQL", "3:SQL"),
                strings("SELECT version || ':' || type FROM flyway_history WHERE version IS NOT NULL ORDER BY installed_rank"),
                "the history starts below V1 in a schema that already holds the cluster's tables");
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reconcile_history'"));
    }

    @Test
    void nodesStartingTogetherMigrateOnce() throws Exception {
        int nodes = 6;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<ClusterDatabase> databases = new ArrayList<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ClusterDatabase db = open("node-" + i);
                databases.add(db);
                results.add(pool.submit(() -> {
                    start.await();
                    return ClusterSchema.bootstrap(db, SchemaMigrations::migrate);
                }));
            }
            int applied = 0;
            for (Future<Integer> r : results) {
                applied += r.get();
            }
            assertEquals(4, applied, "each cluster migration applied by exactly one node");
        } finally {
            pool.shutdownNow();
            databases.forEach(ClusterDatabase::close);
        }
        assertEquals(4, count("SELECT count(*) FROM flyway_cluster WHERE success"));
        assertEquals(4, count("SELECT count(*) FROM flyway_history WHERE version IS NOT NULL"), "baseline, V1 to V3, once");
    }

    /**
     * Another part's migrations check a version table and then create tables: racy on its own,
     * safe inside the bootstrap's lock.
     */
    @Test
    void bootstrapSerialisesOtherPartsMigrationsAcrossNodes() throws Exception {
        int nodes = 4;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<ClusterDatabase> databases = new ArrayList<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ClusterDatabase db = open("node-" + i);
                databases.add(db);
                ClusterSchema.Step checkThenCreate = ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE IF NOT EXISTS part_version (version INT PRIMARY KEY)");
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM part_version")) {
                            rs.next();
                            if (rs.getInt(1) == 0) {
                                s.execute("CREATE TABLE part_data (x INT)");
                                s.execute("INSERT INTO part_version VALUES (1)");
                            }
                        }
                    }
                };
                results.add(pool.submit(() -> {
                    start.await();
                    return ClusterSchema.bootstrap(db, checkThenCreate);
                }));
            }
            for (Future<Integer> r : results) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
            databases.forEach(ClusterDatabase::close);
        }
        assertEquals(1, count("SELECT count(*) FROM part_version"));
    }

    /** A database the pre-Flyway code made: baselined at V2, no Quartz, claim or history row lost. */
    @Test
    void adoptsADatabaseMadeBeforeFlywayWithoutLosingARow() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // What ClusterSchema did before Flyway: its record, the cluster's V1, Quartz's tables ...
            s.execute("CREATE TABLE terrace_schema_migrations (scope VARCHAR(40) NOT NULL, version INTEGER NOT NULL,"
                    + " description VARCHAR(250) NOT NULL, checksum VARCHAR(64) NOT NULL,"
                    + " applied_by VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (scope, version))");
            for (String statement : QuartzTables.split(resource("migration/V1__change_claims_and_observations.sql"))) {
                s.execute(statement);
            }
            for (String statement : QuartzTables.statements()) {
                s.execute(statement);
            }
            s.execute("INSERT INTO terrace_schema_migrations (scope, version, description, checksum, applied_by) VALUES"
                    + " ('cluster', 1, 'Cluster coordination', 'x', 'node-old'), ('quartz', 1, 'Quartz tables', 'y', 'node-old')");
            // ... and the history's own record, then rows in each.
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            for (String script : List.of("V1__plan_and_apply_history.sql", "V2__index_on_start_time.sql")) {
                for (String statement : QuartzTables.split(historyResource(script))) {
                    s.execute(statement);
                }
            }
            s.execute("INSERT INTO schema_version VALUES (1, 'Plan and apply history', now()), (2, 'Index', now())");
            s.execute("INSERT INTO qrtz_locks VALUES ('terrace', 'TRIGGER_ACCESS')");
            s.execute("INSERT INTO terrace_change_claims VALUES ('acme', 'abc', 'node-old', now())");
            s.execute("INSERT INTO reconcile_history (kind, environment, revision, trigger_reason, started_at,"
                    + " duration_ms, outcome, creates, updates, replaces, deletes, actions, error, node_id)"
                    + " VALUES ('apply', 'acme', 'abc', 'change', now(), 10, 'applied', 0, 0, 0, 0, '[]', NULL, 'node-old')");
        }
        try (ClusterDatabase db = open("node-a")) {
            assertEquals(2, ClusterSchema.bootstrap(db, SchemaMigrations::migrate), "nothing applied twice: V3 and V4 only");
        }
        assertEquals(1, count("SELECT count(*) FROM qrtz_locks"), "existing Quartz rows are kept");
        assertEquals(1, count("SELECT count(*) FROM terrace_change_claims"));
        assertEquals(1, count("SELECT count(*) FROM reconcile_history"));
        assertEquals(List.of("2:BASELINE", "3:SQL", "4:SQL"),
                strings("SELECT version || ':' || type FROM flyway_cluster WHERE version IS NOT NULL ORDER BY installed_rank"));
        assertEquals(List.of("2:BASELINE", "3:SQL"),
                strings("SELECT version || ':' || type FROM flyway_history WHERE version IS NOT NULL ORDER BY installed_rank"));
    }

    @Test
    void adoptsQuartzTablesAnOperatorCreatedByHand() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : QuartzTables.statements()) {
                s.execute(statement);
            }
            s.execute("INSERT INTO qrtz_locks VALUES ('terrace', 'TRIGGER_ACCESS')");
        }
        try (ClusterDatabase db = open("node-a")) {
            assertEquals(4, ClusterSchema.bootstrap(db));
        }
        assertEquals(1, count("SELECT count(*) FROM qrtz_locks"), "existing Quartz rows are kept");
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'terrace_change_claims'"));
    }

    @Test
    void aScriptEditedAfterItWasAppliedStopsTheStart() throws Exception {
        try (ClusterDatabase db = open("node-a")) {
            ClusterSchema.bootstrap(db);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("UPDATE flyway_cluster SET checksum = checksum + 1 WHERE version = '1'");
        }
        try (ClusterDatabase db = open("node-a")) {
            SQLException e = assertThrows(SQLException.class, () -> ClusterSchema.bootstrap(db));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingIt() {
        String nowhere = "jdbc:postgresql://127.0.0.1:1/terrace";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterDatabase.open(
                ClusterOptions.parse(nowhere, Map.of("TERRACE_DB_PASSWORD", "hunter2"), Duration.ofSeconds(5),
                        "n", 1)));
        assertTrue(e.getMessage().startsWith("cannot connect to the cluster database " + nowhere + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertFalse(e.getMessage().contains("\n"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ClusterSchema.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String historyResource(String name) throws IOException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
