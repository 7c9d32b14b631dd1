package io.terrace.reconciler.aws;

import com.google.common.base.Suppliers;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The reads one observe makes once for all its regions and service lanes: what is the same
 * whichever region asks (the account's IAM roles, S3 buckets, CloudFront distributions and
 * CLOUDFRONT web ACLs, which are global) or whichever service asks (one tagging-API read of a
 * region's environments). The first observer that asks for a read makes it, those that ask
 * meanwhile wait for it, and the others take it as it is; nothing outlives the observe.
 *
 * <p>The share is carried from thread to thread with {@link #during}, as {@link DetailReads}
 * carries what it reads fresh. Outside any share ({@link #current} is then {@link #NONE}) every
 * read is made when asked.
 */
public final class ObserveShare {

    /** No share: each read is made when asked. */
    public static final ObserveShare NONE = new ObserveShare(Set.of());

    private static final ThreadLocal<ObserveShare> CURRENT = ThreadLocal.withInitial(() -> NONE);

    private final Set<String> environments;
    private final Map<Object, Supplier<?>> reads = new ConcurrentHashMap<>();

    private ObserveShare(Collection<String> environments) {
        this.environments = Set.copyOf(environments);
    }

    /** A share for one observe of {@code environments}. */
    public static ObserveShare of(Collection<String> environments) {
        return new ObserveShare(environments);
    }

    /** The share the current thread observes under, else {@link #NONE}. */
    public static ObserveShare current() {
        return CURRENT.get();
    }

    /**
     * The current share when it is of all of {@code environments} (an observe of one region
     * within an observe across regions), else a new one of them.
     */
    public static ObserveShare covering(Collection<String> environments) {
        ObserveShare now = current();
        return now.covers(environments) ? now : of(environments);
    }

    /** The environments of this observe. */
    public Set<String> environments() {
        return environments;
    }

    /** Whether this observe is of all of {@code asked}: a read for its environments serves them. */
    public boolean covers(Collection<String> asked) {
        return this != NONE && environments.containsAll(asked);
    }

    /** {@code observe}, on whatever thread runs it, under this share. */
    public <T> Supplier<T> during(Supplier<T> observe) {
        if (this == NONE) {
            return observe;
        }
        return () -> {
            ObserveShare before = CURRENT.get();
            CURRENT.set(this);
            try {
                return observe.get();
            } finally {
                CURRENT.set(before);
            }
        };
    }

    /**
     * {@code read}'s answer, read once for this observe under {@code key} (a key names what is read
     * and everything it depends on); with {@link #NONE}, read each time.
     */
    @SuppressWarnings("unchecked")
    public <T> T once(Object key, Supplier<T> read) {
        if (this == NONE) {
            return read.get();
        }
        return (T) reads.computeIfAbsent(key, k -> Suppliers.memoize(read::get)).get();
    }
}
