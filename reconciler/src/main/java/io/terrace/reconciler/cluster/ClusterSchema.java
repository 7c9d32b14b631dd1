package io.terrace.reconciler.cluster;

import io.terrace.reconciler.history.SchemaMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Creates or upgrades everything a node needs in the shared database before its scheduler
 * starts: the cluster's own tables (V1, V3 on, {@code migration/} next to this class) and the
 * Quartz tables (V2, {@link QuartzTables}), recorded by Flyway in {@value #TABLE}, then the schemas of
 * other parts (the plan/apply history), each with its own record. The whole bootstrap runs under
 * one session-level advisory lock, so when several nodes start at once they bootstrap one after
 * the other and only the first changes anything; Flyway's own lock guards each part as well.
 */
public final class ClusterSchema {

    /**
     * A part's own migration run on the cluster's database, e.g.
     * {@code SchemaMigrations::migrate} for the history.
     */
    @FunctionalInterface
    public interface Step {
        void migrate(DataSource dataSource) throws SQLException;
    }

    /** Flyway's record of the cluster's migrations. */
    public static final String TABLE = "flyway_cluster";
    static final String LOCATION = "classpath:io/terrace/reconciler/cluster/migration";
    /**
     * Before Flyway, the cluster recorded its tables (scope cluster, 1) and Quartz's (scope
     * quartz, 1) here, always together: both present is V2.
     */
    static final String LEGACY_VERSION = "SELECT COUNT(*) FROM terrace_schema_migrations"
            + " WHERE (scope = 'cluster' AND version = 1) OR (scope = 'quartz' AND version = 1)";

    /** "terrace\1": the session lock every node's bootstrap takes. */
    static final long BOOTSTRAP_LOCK_KEY = 0x7465727261636501L;

    private ClusterSchema() {}

    /**
     * Bootstraps the schema; returns the number of the cluster's migrations this node applied. The
     * lock is taken on a connection of its own, so the steps can use the pool freely, and it goes
     * away with that session even if this node dies half-way.
     */
    public static int bootstrap(ClusterDatabase database, Step... steps) throws SQLException {
        try (Connection lock = database.openDedicated()) {
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + BOOTSTRAP_LOCK_KEY + ")");
            }
            try {
                int applied = SchemaMigrations.migrate(database.dataSource(), TABLE, LOCATION,
                        c -> SchemaMigrations.legacyVersion(c, LEGACY_VERSION), new QuartzTables());
                for (Step step : steps) {
                    step.migrate(database.dataSource());
                }
                return applied;
            } finally {
                try (Statement s = lock.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + BOOTSTRAP_LOCK_KEY + ")");
                }
            }
        }
    }
}
