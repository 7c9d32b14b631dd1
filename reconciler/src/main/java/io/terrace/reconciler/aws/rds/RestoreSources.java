package io.terrace.reconciler.aws.rds;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Whose data a raw snapshot identifier in {@code database.restoreFrom} holds, checked when the
 * environment is observed, before its plan: a new environment (no cluster yet) may not restore
 * a snapshot of another client. The client is the snapshot's {@code terrace:client} tag, else
 * the client of the environment its {@code terrace:environment} tag names (the tags Terrace's
 * clusters carry are copied to their snapshots), else the same tags on its source cluster. A
 * snapshot whose environment is not in the repository, or that does not exist, is not refused
 * here. An environment name is checked by the spec validation instead, without AWS.
 */
public final class RestoreSources {

    /** A tag naming a client, on a snapshot or cluster tagged by hand. */
    public static final String CLIENT_TAG = "terrace:client";

    private RestoreSources() {}

    /** {@code state} with a refusal for each environment in {@code placed} restoring another client's snapshot. */
    public static ObservedState check(SpecSet specs, Map<String, Region> placed, ObservedState state,
            Function<Region, AwsClients> clients) {
        Map<String, String> refusals = new TreeMap<>(state.refusals());
        for (SpecResult r : specs.results()) {
            if (!(r instanceof SpecResult.Valid v) || !placed.containsKey(v.name())) {
                continue;
            }
            EnvironmentSpec spec = v.spec();
            Optional<String> from = spec.database().restoreFrom();
            if (from.isEmpty() || specs.find(from.get()).isPresent()
                    || state.get(spec.name() + "/database/cluster").isPresent()) {
                continue;
            }
            clientOf(clients.apply(placed.get(v.name())).rds, from.get(), specs)
                    .filter(owner -> !owner.client().equals(spec.client()))
                    .ifPresent(owner -> refusals.put(v.name(), "database.restoreFrom '" + from.get()
                            + "' is a snapshot of " + owner.what() + ", not '" + spec.client()
                            + "'; a database is restored only from the same client's snapshots"));
        }
        return state.withRefusals(refusals);
    }

    /** The client a snapshot's data belongs to, and how it is known. */
    record Owner(String client, String what) {}

    static Optional<Owner> clientOf(RdsClient rds, String snapshotId, SpecSet specs) {
        DBClusterSnapshot snapshot;
        try {
            List<DBClusterSnapshot> found = rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(snapshotId))
                    .dbClusterSnapshots();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            snapshot = found.get(0);
        } catch (DbClusterSnapshotNotFoundException e) {
            return Optional.empty();
        }
        Optional<Owner> owner = owner(snapshot.tagList(), specs);
        if (owner.isPresent() || snapshot.dbClusterIdentifier() == null) {
            return owner;
        }
        try {
            return rds.describeDBClusters(r -> r.dbClusterIdentifier(snapshot.dbClusterIdentifier())).dbClusters()
                    .stream().findFirst().flatMap(c -> owner(c.tagList(), specs));
        } catch (DbClusterNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<Owner> owner(List<Tag> tags, SpecSet specs) {
        Map<String, String> byKey = new TreeMap<>();
        tags.forEach(t -> byKey.put(t.key(), t.value()));
        if (byKey.containsKey(CLIENT_TAG)) {
            return Optional.of(new Owner(byKey.get(CLIENT_TAG), "client '" + byKey.get(CLIENT_TAG) + "'"));
        }
        String env = byKey.get(ObservedResource.ENVIRONMENT);
        if (env != null && specs.find(env).orElse(null) instanceof SpecResult.Valid other) {
            return Optional.of(new Owner(other.spec().client(), "environment '" + env + "' of client '"
                    + other.spec().client() + "'"));
        }
        return Optional.empty();
    }
}
