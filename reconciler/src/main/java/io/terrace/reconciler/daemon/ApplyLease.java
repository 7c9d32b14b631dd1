package io.terrace.reconciler.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.terrace.planner.EnvironmentPlan;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether this daemon may apply an environment now: a pass plans and reports whatever the answer,
 * and applies only while it is {@link Standing.Held}. A single daemon on AWS asks its
 * {@link AccountLease}; a cluster (which coordinates through PostgreSQL) and the in-memory cloud
 * of the tests use {@link #UNCONTESTED}.
 */
public interface ApplyLease {

    /** What the lease of an environment's account and region says. */
    sealed interface Standing {
        /** This daemon holds it. */
        record Held() implements Standing {}

        /** Another daemon (or {@code terrace apply}) holds it until {@code expiresAt}, unless renewed. */
        record Locked(String holder, Instant expiresAt) implements Standing {
            public String reason() {
                return "locked by " + holder;
            }
        }

        /** The lease could not be read: nothing is applied (fail closed). */
        record Unreadable(String reason) implements Standing {}
    }

    /** Takes or renews the lease the plan's apply needs (that of the region it names), as far as it can. */
    Standing standing(EnvironmentPlan plan);

    /** Why the apply of {@code plan}, under way, must stop before its next wave: the lease it took is lost. */
    default Optional<String> lost(EnvironmentPlan plan) {
        return Optional.empty();
    }

    /** Adds the lease gauges to the daemon's metrics. */
    default void register(MeterRegistry registry) {
        // Nothing to show for a lease no one contests.
    }

    /** Always held: nobody else applies, or others are kept out another way. */
    ApplyLease UNCONTESTED = plan -> new Standing.Held();
}
