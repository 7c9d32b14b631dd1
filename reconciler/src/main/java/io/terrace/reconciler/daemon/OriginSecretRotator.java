package io.terrace.reconciler.daemon;

import java.time.Instant;
import java.util.Optional;

/**
 * What the daemon's scheduled rotation of origin secrets needs from AWS: the age of an
 * environment's origin secret (one {@code DescribeSecret}) and the rotation itself
 * ({@link io.terrace.reconciler.aws.network.OriginSecretRotation}).
 */
public interface OriginSecretRotator {

    /**
     * An origin secret as Secrets Manager describes it.
     *
     * @param changed    when its value last changed ({@code LastChangedDate}, else {@code LastRotatedDate},
     *                   else {@code CreatedDate})
     * @param unfinished a rotation started and did not finish: the next check finishes it
     */
    record Described(Instant changed, boolean unfinished) {}

    /** The environment's origin secret; empty when it has none (no network applied yet). */
    Optional<Described> describe(String environment);

    /** Rotates the environment's origin secret, or finishes an interrupted rotation. */
    void rotate(String environment);

    /** No AWS: nothing to rotate. */
    OriginSecretRotator NONE = new OriginSecretRotator() {
        @Override
        public Optional<Described> describe(String environment) {
            return Optional.empty();
        }

        @Override
        public void rotate(String environment) {
            throw new IllegalStateException("this daemon cannot rotate origin secrets");
        }
    };
}
