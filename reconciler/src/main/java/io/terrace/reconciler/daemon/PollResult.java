package io.terrace.reconciler.daemon;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What one poll did: the commit fetched, whether it moved, and which environments it queued.
 *
 * @param error why the fetch or the read failed: after a failed fetch the previous commit stays in
 *              force; after a failed read nothing is applied until a head can be read
 */
public record PollResult(Instant at, Optional<String> commit, boolean moved, boolean pauseChanged,
                         Set<String> enqueued, Optional<String> error) {

    public PollResult {
        enqueued = Set.copyOf(enqueued);
    }
}
