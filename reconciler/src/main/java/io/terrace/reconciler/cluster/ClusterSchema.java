package io.terrace.reconciler.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates or upgrades everything a node needs in the shared database before its scheduler
 * starts: the Quartz tables and the cluster's own tables, then the schemas of other parts (the plan/apply history), each
 * with its own numbered migrations. The whole bootstrap runs under one session-level advisory
 * lock, so when several nodes start at once they bootstrap one after the other and only the
 * first changes anything, whatever migration mechanism a part uses.
 */
public final class ClusterSchema {

    /**
     * A part's own migration run on the cluster's database, e.g.
     * {@code ds -> new SchemaMigrations(ds, clock).migrate()} for the history.
     */
    @FunctionalInterface
    public interface Step {
        void migrate(DataSource dataSource) throws SQLException;
    }

    /** "terrace\1": distinct from {@link SchemaMigrator#LOCK_KEY}, which runs inside this one. */
    static final long BOOTSTRAP_LOCK_KEY = 0x7465727261636501L;

    private ClusterSchema() {}

    /**
     * Bootstraps the schema; returns the migrations this node applied. The lock is taken on a
     * connection of its own, so the steps can use the pool freely, and it goes away with that
     * session even if this node dies half-way.
     */
    public static List<Migration> bootstrap(ClusterDatabase database, Step... steps) throws SQLException {
        String node = database.options().nodeId();
        try (Connection lock = database.openDedicated()) {
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + BOOTSTRAP_LOCK_KEY + ")");
            }
            try {
                List<Migration> mine = new ArrayList<>(ClusterMigrations.all());
                mine.add(QuartzTables.migration());
                List<Migration> applied = new ArrayList<>(
                        new SchemaMigrator(database.dataSource(), node).migrate(mine).applied());
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
