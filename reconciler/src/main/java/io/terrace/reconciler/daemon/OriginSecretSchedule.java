package io.terrace.reconciler.daemon;

import io.terrace.schema.MaintenanceWindow;
import io.terrace.schema.SpecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the daemon rotates an environment's origin secret ({@code --origin-secret-max-age}): it
 * checks every environment at most once an hour ({@link #checkEvery()}), and rotates a secret
 * older than the maximum age, or one whose rotation was interrupted. A check holds, without asking
 * AWS anything, where an apply would hold: a {@code PAUSE} file or a paused environment, a
 * maintenance window that is closed, a spec that is invalid, gone, or decommissioning.
 *
 * @param maxAge empty: never rotate ({@code off})
 */
record OriginSecretSchedule(Optional<Duration> maxAge) {

    /** The longest time between two checks of an environment. */
    static final Duration HOURLY = Duration.ofHours(1);
    /** The first check after a start comes at most this late, so daemons restarted often still check. */
    static final Duration FIRST_CHECK = Duration.ofMinutes(10);

    /** What a check decided; {@code reason} is logged. */
    sealed interface Verdict {
        String reason();

        /** Nothing to do now. */
        record Hold(String reason) implements Verdict {}

        /** Rotate now. */
        record Rotate(String reason) implements Verdict {}
    }

    boolean enabled() {
        return maxAge.isPresent();
    }

    /** Hourly, or as often as the maximum age when it is shorter. */
    Duration checkEvery() {
        return maxAge.filter(m -> m.compareTo(HOURLY) < 0).orElse(HOURLY);
    }

    Duration firstCheck() {
        return checkEvery().compareTo(FIRST_CHECK) < 0 ? checkEvery() : FIRST_CHECK;
    }

    /**
     * Whether the check may look at the secret at all: empty when it may; else why not. No AWS
     * call is made for an environment held here.
     */
    Optional<String> holds(Optional<SpecResult> spec, Optional<String> pause, Instant now) {
        if (maxAge.isEmpty()) {
            return Optional.of("rotation off");
        }
        if (pause.isPresent()) {
            return Optional.of("paused: " + pause.get());
        }
        if (!(spec.orElse(null) instanceof SpecResult.Valid valid)) {
            return Optional.of(spec.isEmpty() ? "no spec" : "invalid spec");
        }
        if (valid.spec().decommission()) {
            return Optional.of("decommissioning");
        }
        Optional<MaintenanceWindow> window = valid.spec().maintenance().window().map(MaintenanceWindow::of);
        if (window.isPresent() && !window.get().contains(now)) {
            return Optional.of("outside the maintenance window (next: " + window.get().nextStart(now) + ")");
        }
        return Optional.empty();
    }

    /** What to do with a secret that may be looked at. */
    Verdict decide(Optional<OriginSecretRotator.Described> secret, Instant now) {
        if (secret.isEmpty()) {
            return new Verdict.Hold("no origin secret");
        }
        if (secret.get().unfinished()) {
            return new Verdict.Rotate("an interrupted rotation");
        }
        Duration age = Duration.between(secret.get().changed(), now);
        if (age.compareTo(maxAge.orElseThrow()) >= 0) {
            return new Verdict.Rotate("older than " + maxAge.get());
        }
        return new Verdict.Hold("younger than " + maxAge.get());
    }
}
