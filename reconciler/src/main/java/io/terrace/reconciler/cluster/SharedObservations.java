package io.terrace.reconciler.cluster;

import io.terrace.planner.InvalidObservedStateException;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift sweep's observations, shared through the database so that the pass of each
 * environment, on whichever node Quartz runs it, uses the sweep's one batched observe instead
 * of observing again: observation is not multiplied by the number of nodes. The rules are the
 * single node's: an observation is used once, and never when it is older than the
 * environment's last apply. Every time comes from the database's clock, the one clock all
 * nodes share.
 */
public final class SharedObservations {

    private static final Logger LOG = LoggerFactory.getLogger("terrace.cluster");

    private final DataSource dataSource;

    public SharedObservations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The database's time before observing, in microseconds: what is observed after is this fresh. */
    public long tick() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            Instant now = rs.getObject(1, OffsetDateTime.class).toInstant();
            return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database clock: " + e.getMessage(), e);
        }
    }

    /** Publishes one environment's observation (a JSON document) taken after {@code tick}. */
    public void put(String environment, long tick, String document) {
        String sql = """
                INSERT INTO terrace_observations (environment, observed_at, document) VALUES (?, ?, ?)
                ON CONFLICT (environment) DO UPDATE SET observed_at = EXCLUDED.observed_at, document = EXCLUDED.document""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            ps.setObject(2, OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(tick / 1_000_000, (tick % 1_000_000) * 1_000), ZoneOffset.UTC));
            ps.setString(3, document);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot share the observation of " + environment + ": " + e.getMessage(), e);
        }
    }

    /** Publishes one environment's observed state, as the JSON {@code terrace observe} writes. */
    public void put(String environment, long tick, ObservedState state) {
        put(environment, tick, ObservedStateJson.write(state));
    }

    /** The environment's observed state, if a fresh one is waiting (see {@link #take(String)}). */
    public Optional<ObservedState> takeState(String environment) {
        return take(environment).flatMap(json -> {
            try {
                return Optional.of(ObservedStateJson.read(json, "shared observation of " + environment));
            } catch (InvalidObservedStateException e) {
                // Written by a node of another build, perhaps: observe afresh rather than guess.
                LOG.atWarn().setMessage("observation-unreadable").addKeyValue("env", environment)
                        .addKeyValue("error", e.getMessage()).log();
                return Optional.empty();
            }
        });
    }

    /** Marks an apply: observations taken before now are stale. */
    public void applied(String environment) {
        String sql = """
                INSERT INTO terrace_applies (environment, applied_at) VALUES (?, clock_timestamp())
                ON CONFLICT (environment) DO UPDATE SET applied_at = EXCLUDED.applied_at""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the apply of " + environment + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the environment's observation, if a fresh one is waiting; it is gone afterwards, so
     * a second pass observes for itself. Empty (observe yourself) when the database fails.
     */
    public Optional<String> take(String environment) {
        String sql = """
                DELETE FROM terrace_observations o WHERE o.environment = ?
                    AND NOT EXISTS (SELECT 1 FROM terrace_applies a
                                    WHERE a.environment = o.environment AND a.applied_at > o.observed_at)
                RETURNING document""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
