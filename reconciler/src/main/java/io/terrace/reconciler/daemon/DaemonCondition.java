package io.terrace.reconciler.daemon;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One condition of the daemon itself, beside the environments' statuses: whether a part it needs
 * works (today the history), and if not why and since when. The API lists them.
 *
 * @param type   what the condition is about ({@value #HISTORY})
 * @param ok     true while the part works
 * @param reason the last error while it does not
 * @param since  when it stopped working
 */
public record DaemonCondition(String type, boolean ok, Optional<String> reason, Optional<Instant> since) {

    /** History writes: failing ones are skipped so that passes go on. */
    public static final String HISTORY = "history";

    public DaemonCondition {
        Objects.requireNonNull(type, "type");
    }

    static DaemonCondition ok(String type) {
        return new DaemonCondition(type, true, Optional.empty(), Optional.empty());
    }

    static DaemonCondition failing(String type, String reason, Instant since) {
        return new DaemonCondition(type, false, Optional.of(reason), Optional.of(since));
    }
}
