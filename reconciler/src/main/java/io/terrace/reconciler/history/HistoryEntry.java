package io.terrace.reconciler.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded plan or apply of one environment: what the daemon decided or did, at which
 * revision, how long it took and on which node.
 *
 * @param id       database id, 0 before it is stored
 * @param trigger  what started the pass: {@code change}, {@code sweep}, {@code retry},
 *                 {@code manual:<who>} (the API's sync), {@code now:<who>} (the sync that does not
 *                 wait for the maintenance window), comma-separated when requests merged; who is
 *                 the API token's name or {@code cli}. For a failover, who asked.
 * @param outcome  for a plan: {@code no-changes}, {@code changes}, {@code drifted}, {@code paused},
 *                 {@code blocked}, {@code invalid}, {@code failed}; for an apply the lower-case
 *                 {@link io.terrace.reconciler.engine.ApplyResult.Outcome}
 */
public record HistoryEntry(
        long id,
        Kind kind,
        String environment,
        String revision,
        String trigger,
        Instant startedAt,
        Duration duration,
        String outcome,
        List<Action> actions,
        Optional<String> error,
        String nodeId) {

    public HistoryEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(outcome, "outcome");
        actions = List.copyOf(actions);
        Objects.requireNonNull(error, "error");
    }

    /**
     * A plan is recorded on every pass; an apply only when the executor ran; a failover (trigger:
     * who asked, {@code cli} or the API token's name) when an operator promoted a standby; a
     * rotation (trigger {@code rotate-origin-secret}) when the daemon rotated an origin secret.
     */
    public enum Kind { PLAN, APPLY, FAILOVER, ROTATION }

    /**
     * One change: resource address, action ({@code create}, {@code update}, {@code replace},
     * {@code delete}) and status ({@code planned} in a plan; {@code succeeded}, {@code failed} or
     * {@code skipped} in an apply).
     */
    public record Action(String address, String action, String status) {}

    /**
     * A failover asked by {@code who}: one succeeded {@code failover} action per service failed
     * over ({@code done} holds lines starting {@code database:} or {@code cache:}), outcome
     * {@code succeeded}, or {@code failed} with the error.
     */
    public static HistoryEntry failover(String environment, String revision, String who, Instant startedAt,
            Duration duration, List<String> done, Optional<String> error, String nodeId) {
        List<Action> actions = done.stream().map(d -> new Action(environment
                + (d.startsWith("cache:") ? "/cache/replication-group" : "/database/cluster"), "failover", "succeeded"))
                .toList();
        return new HistoryEntry(0, Kind.FAILOVER, environment, revision, who, startedAt, duration,
                error.isEmpty() ? "succeeded" : "failed", actions, error, nodeId);
    }

    /**
     * The daemon's rotation of the environment's origin secret ({@code --origin-secret-max-age}): one
     * {@code rotate} action on {@code <env>/network/origin-secret}, outcome {@code succeeded}, or
     * {@code failed} with the error. The secret's value is never recorded.
     */
    public static HistoryEntry rotation(String environment, String revision, String trigger, Instant startedAt,
            Duration duration, Optional<String> error, String nodeId) {
        return new HistoryEntry(0, Kind.ROTATION, environment, revision, trigger, startedAt, duration,
                error.isEmpty() ? "succeeded" : "failed",
                List.of(new Action(environment + "/network/origin-secret", "rotate", error.isEmpty() ? "succeeded" : "failed")),
                error, nodeId);
    }

    /**
     * Who asked for it, when someone did: for a failover its trigger; for a pass the names after
     * {@code :} in its trigger ({@code now:alice} was asked by {@code alice}), joined by {@code +}.
     */
    public Optional<String> askedBy() {
        if (kind == Kind.FAILOVER) {
            return Optional.ofNullable(trigger).filter(t -> !t.isEmpty());
        }
        if (trigger == null) {
            return Optional.empty();
        }
        List<String> who = java.util.Arrays.stream(trigger.split(","))
                .filter(t -> t.contains(":"))
                .flatMap(t -> java.util.Arrays.stream(t.substring(t.indexOf(':') + 1).split("\\+")))
                .distinct()
                .toList();
        return who.isEmpty() ? Optional.empty() : Optional.of(String.join("+", who));
    }

    /** Changes of one action that were planned or carried out (failed and skipped ones excluded). */
    public long count(String action) {
        return actions.stream()
                .filter(a -> a.action().equals(action))
                .filter(a -> a.status().equals("planned") || a.status().equals("succeeded"))
                .count();
    }
}
