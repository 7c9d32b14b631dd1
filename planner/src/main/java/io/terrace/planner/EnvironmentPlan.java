package io.terrace.planner;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.Stage;
import io.terrace.schema.Tier;
import java.util.List;
import java.util.Optional;

/**
 * The plan for one environment. An environment whose spec is invalid has diagnostics and no
 * changes, and can never be applied; a paused one is planned but not applied.
 *
 * @param tier      empty when the spec could not be read (invalid, or file deleted)
 * @param revision  the git commit of the spec this plan was computed from
 * @param pausedReason  set when a PAUSE file or {@code paused: true} stops applies
 * @param waves     change addresses grouped by dependency order: wave N only after wave N-1
 * @param region    the AWS region the environment lives in (where it was observed, else its spec's);
 *                  apply reads it from here, as each change of a Terraform plan names its provider
 */
public record EnvironmentPlan(
        String name,
        Optional<Tier> tier,
        Optional<Stage> stage,
        String revision,
        Optional<String> pausedReason,
        List<Change> changes,
        List<List<String>> waves,
        List<Diagnostic> diagnostics,
        Optional<String> region) {

    public EnvironmentPlan {
        java.util.Objects.requireNonNull(region, "region");
        changes = List.copyOf(changes);
        waves = waves.stream().map(List::copyOf).toList();
        diagnostics = List.copyOf(diagnostics);
    }

    /** A plan whose region is not known yet. */
    public EnvironmentPlan(String name, Optional<Tier> tier, Optional<Stage> stage, String revision,
            Optional<String> pausedReason, List<Change> changes, List<List<String>> waves, List<Diagnostic> diagnostics) {
        this(name, tier, stage, revision, pausedReason, changes, waves, diagnostics, Optional.empty());
    }

    /** The same plan, in {@code region}. */
    public EnvironmentPlan inRegion(String region) {
        return new EnvironmentPlan(name, tier, stage, revision, pausedReason, changes, waves, diagnostics,
                Optional.of(region));
    }

    public boolean invalid() {
        return !diagnostics.isEmpty();
    }

    public boolean paused() {
        return pausedReason.isPresent();
    }

    /** Changes that are not no-ops. */
    public List<Change> actions() {
        return changes.stream().filter(c -> c.action() != Action.NO_OP).toList();
    }

    /** Changes a safety rule refuses; those waiting for the maintenance window are {@link #deferred()}. */
    public List<Change> blocked() {
        return changes.stream().filter(c -> c.blocked() && !c.deferred()).toList();
    }

    /** Changes that wait for the environment's maintenance window; the rest applies without them. */
    public List<Change> deferred() {
        return changes.stream().filter(Change::deferred).toList();
    }

    /** When the maintenance window opens next, if a change waits for it. */
    public Optional<java.time.Instant> windowOpens() {
        return deferred().stream().flatMap(c -> c.blockedBy().flatMap(BlockedReason::windowOpens).stream()).min(
                java.util.Comparator.naturalOrder());
    }

    /** This plan without its deferred changes: what is applied now. */
    public EnvironmentPlan withoutDeferred() {
        java.util.Set<String> later = new java.util.HashSet<>();
        deferred().forEach(c -> later.add(c.address()));
        if (later.isEmpty()) {
            return this;
        }
        return new EnvironmentPlan(name, tier, stage, revision, pausedReason,
                changes.stream().filter(c -> !later.contains(c.address())).toList(),
                waves.stream().map(w -> w.stream().filter(a -> !later.contains(a)).toList()).filter(w -> !w.isEmpty())
                        .toList(),
                diagnostics, region);
    }

    public boolean hasChanges() {
        return !actions().isEmpty();
    }

    /** Can be handed to the executor: valid, and nothing blocked. Pause is checked at apply time. */
    public boolean applicable() {
        return !invalid() && blocked().isEmpty();
    }
}
