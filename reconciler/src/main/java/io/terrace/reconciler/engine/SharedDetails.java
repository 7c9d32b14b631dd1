package io.terrace.reconciler.engine;

import java.time.Instant;
import java.util.List;

/**
 * Where the nodes of a cluster share the details their observers keep between observes
 * ({@link io.terrace.reconciler.aws.DetailReads}): a detail one node read is not read again by
 * another within its interval, and an apply's forget reaches every node. Without it the drift
 * sweep, which runs on whichever node takes it, reads each detail once per node.
 */
public interface SharedDetails {

    /**
     * One detail as read, or with an empty {@code key} and no {@code value}: everything of
     * {@code environment} read before {@code readAt} is forgotten (an apply wrote to it).
     *
     * @param summary the resource's cheap summary the detail was read under
     * @param value   the detail as JSON
     */
    record Detail(String environment, String key, String summary, Instant readAt, String value) {

        public static Detail forgotten(String environment, Instant at) {
            return new Detail(environment, "", "", at, null);
        }

        public boolean forgets() {
            return key.isEmpty();
        }
    }

    /** Publishes what this node read or forgot. */
    void publish(List<Detail> details);

    /**
     * What the other nodes published since the last call, in the order they did; on the first
     * call everything kept, this node's own included (what it read before a restart).
     */
    List<Detail> news();

    /** Drops what was read before {@code before}: no node would use it. */
    void prune(Instant before);
}
