package io.terrace.reconciler.daemon;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.quartz.JobDataMap;

/**
 * Why a pass of an environment is wanted, and at which commit of the spec repository: the job
 * data of the Quartz trigger that runs it. Kept as strings in the trigger, not in the memory of
 * the node that asked, because in a cluster any node may run the pass, or recover it after the
 * node that started it died. Requests waiting for the same environment merge into one pass.
 *
 * @param triggers the reasons; empty is read as a sweep
 * @param commit   the commit the node that asked had read; a node whose copy of the repository
 *                 has not reached it fetches before the pass
 * @param askedBy  for a reason someone asked for ({@link Trigger#manual()}), the names of who
 *                 asked (API token names); none is read as {@value Trigger#API}
 */
record PassRequest(Set<Trigger> triggers, Optional<String> commit, Map<Trigger, SortedSet<String>> askedBy) {

    static final String TRIGGERS = "triggers";
    static final String COMMIT = "commit";
    /** Prefix of the job data key of who asked for a reason: {@code by.MANUAL}, {@code by.NOW}. */
    static final String BY = "by.";

    PassRequest {
        triggers = triggers.isEmpty() ? EnumSet.noneOf(Trigger.class) : EnumSet.copyOf(triggers);
        Map<Trigger, SortedSet<String>> by = new EnumMap<>(Trigger.class);
        askedBy.forEach((t, who) -> {
            if (!who.isEmpty()) {
                by.put(t, Collections.unmodifiableSortedSet(new TreeSet<>(who)));
            }
        });
        askedBy = Collections.unmodifiableMap(by);
    }

    PassRequest(Set<Trigger> triggers, Optional<String> commit) {
        this(triggers, commit, Map.of());
    }

    static PassRequest of(Trigger trigger, Optional<String> commit) {
        return new PassRequest(EnumSet.of(trigger), commit);
    }

    /** A reason {@code who} asked for. */
    static PassRequest of(Trigger trigger, Optional<String> commit, String who) {
        return new PassRequest(EnumSet.of(trigger), commit, Map.of(trigger, new TreeSet<>(Set.of(who))));
    }

    /**
     * The trigger as the history records it: the reasons in order, comma-separated, those asked
     * for with who asked ({@code change,now:alice}); a sweep when there is none.
     */
    String trigger() {
        Set<Trigger> reasons = triggers.isEmpty() ? EnumSet.of(Trigger.SWEEP) : triggers;
        return reasons.stream().sorted().map(t -> t.id(askedBy.getOrDefault(t, new TreeSet<>())))
                .collect(Collectors.joining(","));
    }

    /** Reads a trigger's job data; unknown reasons (from a newer build) are dropped. */
    static PassRequest of(JobDataMap data) {
        String names = data.getString(TRIGGERS);
        Set<Trigger> triggers = names == null ? Set.of() : Arrays.stream(names.split(","))
                .filter(n -> Arrays.stream(Trigger.values()).anyMatch(t -> t.name().equals(n)))
                .map(Trigger::valueOf)
                .collect(Collectors.toSet());
        Map<Trigger, SortedSet<String>> by = new EnumMap<>(Trigger.class);
        for (Trigger t : triggers) {
            String who = data.getString(BY + t.name());
            if (who != null && !who.isEmpty()) {
                by.put(t, new TreeSet<>(Arrays.asList(who.split(","))));
            }
        }
        return new PassRequest(triggers, Optional.ofNullable(data.getString(COMMIT)).filter(c -> !c.isEmpty()), by);
    }

    /**
     * Someone waits for this pass: a commit, or a pass asked for through the API. It goes ahead of
     * the sweep's and the retries' queued before it ({@link Scheduling#AHEAD}).
     */
    boolean waitedFor() {
        return triggers.stream().anyMatch(Trigger::bypassesBackoff);
    }

    JobDataMap jobData() {
        JobDataMap data = new JobDataMap();
        data.put(TRIGGERS, triggers.stream().map(Trigger::name).collect(Collectors.joining(",")));
        commit.ifPresent(c -> data.put(COMMIT, c));
        askedBy.forEach((t, who) -> data.put(BY + t.name(), String.join(",", who)));
        return data;
    }

    /**
     * Both requests in one pass: every reason, everyone who asked, and the commit of either (the
     * newer is unknown here).
     */
    PassRequest merge(PassRequest other) {
        Set<Trigger> all = EnumSet.noneOf(Trigger.class);
        all.addAll(triggers);
        all.addAll(other.triggers);
        Map<Trigger, SortedSet<String>> by = new EnumMap<>(Trigger.class);
        for (Map<Trigger, SortedSet<String>> m : java.util.List.of(askedBy, other.askedBy)) {
            m.forEach((t, who) -> by.computeIfAbsent(t, k -> new TreeSet<>()).addAll(who));
        }
        return new PassRequest(all, other.commit.isPresent() ? other.commit : commit, by);
    }
}
