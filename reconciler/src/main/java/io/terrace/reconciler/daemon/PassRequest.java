package io.terrace.reconciler.daemon;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
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
 */
record PassRequest(Set<Trigger> triggers, Optional<String> commit) {

    static final String TRIGGERS = "triggers";
    static final String COMMIT = "commit";

    PassRequest {
        triggers = triggers.isEmpty() ? EnumSet.noneOf(Trigger.class) : EnumSet.copyOf(triggers);
    }

    static PassRequest of(Trigger trigger, Optional<String> commit) {
        return new PassRequest(EnumSet.of(trigger), commit);
    }

    /** Reads a trigger's job data; unknown reasons (from a newer build) are dropped. */
    static PassRequest of(JobDataMap data) {
        String names = data.getString(TRIGGERS);
        Set<Trigger> triggers = names == null ? Set.of() : Arrays.stream(names.split(","))
                .filter(n -> Arrays.stream(Trigger.values()).anyMatch(t -> t.name().equals(n)))
                .map(Trigger::valueOf)
                .collect(Collectors.toSet());
        return new PassRequest(triggers, Optional.ofNullable(data.getString(COMMIT)).filter(c -> !c.isEmpty()));
    }

    JobDataMap jobData() {
        JobDataMap data = new JobDataMap();
        data.put(TRIGGERS, triggers.stream().map(Trigger::name).collect(Collectors.joining(",")));
        commit.ifPresent(c -> data.put(COMMIT, c));
        return data;
    }

    /** Both requests in one pass: every reason, and the commit of either (the newer is unknown here). */
    PassRequest merge(PassRequest other) {
        Set<Trigger> all = EnumSet.noneOf(Trigger.class);
        all.addAll(triggers);
        all.addAll(other.triggers);
        return new PassRequest(all, other.commit.isPresent() ? other.commit : commit);
    }
}
