package io.terrace.reconciler.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How long the daemon keeps history entries ({@code --history-retention}): entries older than
 * {@code maxAge} are pruned after each drift sweep, except the newest of each environment
 * ({@link HistoryStore#prune}). Empty {@code maxAge} keeps everything.
 */
public record HistoryRetention(Optional<Duration> maxAge) {

    /** Keeps every entry: the spelling {@code forever} on the command line. */
    public static final HistoryRetention FOREVER = new HistoryRetention(Optional.empty());

    /** The default of {@code terrace daemon}: 30 days. */
    public static final HistoryRetention DEFAULT = of(Duration.ofDays(30));

    public HistoryRetention {
        Objects.requireNonNull(maxAge, "maxAge");
        maxAge.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("history retention must be positive, or forever");
            }
        });
    }

    public static HistoryRetention of(Duration maxAge) {
        return new HistoryRetention(Optional.of(maxAge));
    }

    /** Entries that started before this instant may be pruned; empty when everything is kept. */
    public Optional<Instant> cutoff(Instant now) {
        return maxAge.map(now::minus);
    }

    /** {@code forever}, or the ISO-8601 duration, as the daemon's other intervals are logged. */
    @Override
    public String toString() {
        return maxAge.map(Duration::toString).orElse("forever");
    }
}
