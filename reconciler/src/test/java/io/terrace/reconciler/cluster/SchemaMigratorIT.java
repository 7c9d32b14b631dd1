package io.terrace.reconciler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class SchemaMigratorIT {

    private static final Migration HISTORY_1 = new Migration("history", 1, "runs", """
            CREATE TABLE runs (id BIGSERIAL PRIMARY KEY, environment VARCHAR(40) NOT NULL);
            CREATE INDEX runs_environment ON runs (environment);
            """);
    private static final Migration HISTORY_2 = new Migration("history", 2, "node column",
            "ALTER TABLE runs ADD COLUMN node VARCHAR(200);");

    private String url;

    @BeforeEach
    void database() {
        url = TestPostgres.freshDatabase();
    }

    private ClusterDatabase open(String node) {
        return ClusterDatabase.open(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(5), node, 2));
    }

    @Test
    void createsTheQuartzTablesAndRecordsEachMigration() throws Exception {
        try (ClusterDatabase db = open("node-a")) {
            SchemaMigrator.Result result = new SchemaMigrator(db.dataSource(), "node-a")
                    .migrate(List.of(QuartzTables.migration(), HISTORY_1, HISTORY_2));
            assertEquals(3, result.applied().size());
        }
        assertEquals(11, count("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'"));
        assertEquals(List.of("history:1:node-a", "history:2:node-a", "quartz:1:node-a"),
                strings("SELECT scope || ':' || version || ':' || applied_by FROM terrace_schema_migrations ORDER BY 1"));
    }

    @Test
    void aNodeStartingOnAnUpToDateSchemaChangesNothing() throws Exception {
        try (ClusterDatabase db = open("node-a")) {
            new SchemaMigrator(db.dataSource(), "node-a").migrate(List.of(QuartzTables.migration(), HISTORY_1));
            SchemaMigrator.Result again = new SchemaMigrator(db.dataSource(), "node-b")
                    .migrate(List.of(QuartzTables.migration(), HISTORY_1, HISTORY_2));
            assertEquals(List.of(HISTORY_2), again.applied());
        }
        assertEquals(1, count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'runs' AND column_name = 'node'"));
    }

    @Test
    void nodesStartingTogetherMigrateOnce() throws Exception {
        int nodes = 6;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<ClusterDatabase> databases = new ArrayList<>();
        try {
            List<Future<SchemaMigrator.Result>> results = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String node = "node-" + i;
                ClusterDatabase db = open(node);
                databases.add(db);
                results.add(pool.submit(() -> {
                    start.await();
                    return new SchemaMigrator(db.dataSource(), node)
                            .migrate(List.of(QuartzTables.migration(), HISTORY_1, HISTORY_2));
                }));
            }
            int applied = 0;
            for (Future<SchemaMigrator.Result> r : results) {
                applied += r.get().applied().size();
            }
            assertEquals(3, applied, "each migration applied by exactly one node");
        } finally {
            pool.shutdownNow();
            databases.forEach(ClusterDatabase::close);
        }
        assertEquals(3, count("SELECT count(*) FROM terrace_schema_migrations"));
        assertEquals(1, count("SELECT count(DISTINCT applied_by) FROM terrace_schema_migrations"),
                "one node ran the whole bootstrap, in one transaction");
    }

    /**
     * Another part's migrations (the history's) check a version table and then create tables:
     * racy on its own, safe inside the bootstrap's lock.
     */
    @Test
    void bootstrapSerialisesOtherPartsMigrationsAcrossNodes() throws Exception {
        int nodes = 4;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<ClusterDatabase> databases = new ArrayList<>();
        try {
            List<Future<List<Migration>>> results = new ArrayList<>();
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
            int applied = 0;
            for (Future<List<Migration>> r : results) {
                applied += r.get().size();
            }
            assertEquals(ClusterMigrations.all().size() + 1, applied, "cluster and Quartz migrations, once");
        } finally {
            pool.shutdownNow();
            databases.forEach(ClusterDatabase::close);
        }
        assertEquals(1, count("SELECT count(*) FROM part_version"));
    }

    @Test
    void aBrokenMigrationLeavesTheSchemaAsItWas() throws Exception {
        Migration broken = new Migration("history", 2, "broken", """
                ALTER TABLE runs ADD COLUMN node VARCHAR(200);
                ALTER TABLE no_such_table ADD COLUMN x INT;
                """);
        try (ClusterDatabase db = open("node-a")) {
            SchemaMigrator migrator = new SchemaMigrator(db.dataSource(), "node-a");
            SQLException e = assertThrows(SQLException.class, () -> migrator.migrate(List.of(HISTORY_1, broken)));
            assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        }
        assertEquals(0, count("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_name IN ('runs', 'terrace_schema_migrations')"), "nothing is left, not even the record table");
    }

    @Test
    void adoptsQuartzTablesAnOperatorCreatedByHand() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String statement : QuartzTables.migration().statements()) {
                s.execute(statement);
            }
            s.execute("INSERT INTO qrtz_locks VALUES ('terrace', 'TRIGGER_ACCESS')");
        }
        try (ClusterDatabase db = open("node-a")) {
            SchemaMigrator.Result result = new SchemaMigrator(db.dataSource(), "node-a")
                    .migrate(List.of(QuartzTables.migration()));
            assertTrue(result.applied().isEmpty());
            assertEquals(1, result.adopted().size());
        }
        assertEquals(1, count("SELECT count(*) FROM qrtz_locks"), "existing Quartz rows are kept");
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
