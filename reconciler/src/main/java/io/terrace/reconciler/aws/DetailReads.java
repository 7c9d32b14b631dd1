package io.terrace.reconciler.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads of rarely-changing details that no batched call returns (a KMS key's policy and rotation,
 * a secret's resource policy, a DB cluster's parameters, an S3 bucket's settings, a topic's
 * attributes), kept between observes and read again on a slower cadence: when the entry is
 * older than the interval, when the resource's cheap summary from the sweep (its tags, the key an
 * alias points to) changed, for environments observed {@linkplain #fresh fresh} (a pass for a
 * commit, a refresh, a retry, and before any apply), and after {@link #forget} (an apply wrote to
 * the environment). A detail changed out of band is then seen within the interval, not at the next
 * sweep. With a zero interval ({@link #always}, what every one-shot command uses) nothing is kept.
 *
 * <p>Kept in memory: a restarted daemon reads every detail once again. Shared by every region's
 * observer, keyed by environment, so a forget needs no region.
 */
public final class DetailReads {

    private record Entry(Object summary, Object value, Instant readAt) {}

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Map<String, Entry>> byEnv = new ConcurrentHashMap<>();
    /** The environments the current thread's observe reads fresh. */
    private final ThreadLocal<Set<String>> fresh = ThreadLocal.withInitial(Set::of);

    private DetailReads(Duration interval, Clock clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative detail interval: " + interval);
        }
        this.interval = interval;
        this.clock = clock;
    }

    /** Reads every detail on every observe: keeps nothing. */
    public static DetailReads always() {
        return new DetailReads(Duration.ZERO, Clock.systemUTC());
    }

    /** Keeps details for {@code interval} (zero: keeps nothing). */
    public static DetailReads every(Duration interval, Clock clock) {
        return new DetailReads(interval, clock);
    }

    public Duration interval() {
        return interval;
    }

    /**
     * The detail {@code key} of a resource of {@code env}: the kept value when it was read less
     * than the interval ago under an equal {@code summary}, else {@code read}'s, then kept. An
     * empty {@link Optional} (the resource went away between the sweep and the read) is not kept.
     */
    public <T> T read(String env, String key, Object summary, Supplier<T> read) {
        return read(env, fresh.get().contains(env), key, summary, read);
    }

    /**
     * A detail of a resource whose environment is only known once it is read (the tags of each
     * certificate of the account): read again when any environment is observed fresh, and after
     * any {@link #forget}.
     */
    public <T> T readShared(String key, Object summary, Supplier<T> read) {
        return read(SHARED, !fresh.get().isEmpty(), key, summary, read);
    }

    /** Where {@link #readShared} keeps its details (no environment name is empty). */
    private static final String SHARED = "";

    @SuppressWarnings("unchecked")
    private <T> T read(String env, boolean readFresh, String key, Object summary, Supplier<T> read) {
        if (interval.isZero()) {
            return read.get();
        }
        Map<String, Entry> kept = byEnv.computeIfAbsent(env, e -> new ConcurrentHashMap<>());
        Instant now = clock.instant();
        Entry e = kept.get(key);
        if (e != null && !readFresh && Objects.equals(e.summary(), summary)
                && now.isBefore(e.readAt().plus(interval))) {
            return (T) e.value();
        }
        T value = read.get();
        if (value instanceof Optional<?> o && o.isEmpty()) {
            kept.remove(key);
        } else {
            kept.put(key, new Entry(summary, value, now));
        }
        return value;
    }

    /** Runs {@code observe} on this thread reading every detail of {@code environments} from AWS. */
    public <T> T fresh(Collection<String> environments, Supplier<T> observe) {
        Set<String> before = fresh.get();
        fresh.set(Set.copyOf(environments));
        try {
            return observe.get();
        } finally {
            fresh.set(before);
        }
    }

    /**
     * {@code observe} to run on another thread (a {@link Lanes lane}), reading fresh the
     * environments this thread's observe reads fresh.
     */
    public <T> Supplier<T> carried(Supplier<T> observe) {
        Set<String> now = fresh.get();
        return () -> fresh(now, observe);
    }

    /** Drops what is kept of {@code env}: the next observe reads its details from AWS. */
    public void forget(String env) {
        byEnv.remove(env);
        byEnv.remove(SHARED);
    }

    /** How many details of {@code env} are kept (tests). */
    int kept(String env) {
        return byEnv.getOrDefault(env, Map.of()).size();
    }
}
