package io.terrace.reconciler.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.SharedDetails;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>The daemon keeps them in a file of its data folder as well ({@link #keptIn}): written at most
 * once a minute after an observe read something ({@link #saveIfDue}) and when it stops
 * ({@link #save}), read when it starts, so a restarted daemon reads again only the details older
 * than the interval, not every one. Each is written with the time it was read, so the interval
 * holds across restarts. A line that cannot be read is skipped (that detail is read from AWS
 * again), and a file that cannot be written leaves them in memory only. Shared by every region's
 * observer, keyed by environment, so a forget needs no region.
 *
 * <p>A daemon that starts with nothing kept for an environment (an empty data folder, details
 * older than the interval) does not read them all in its first sweep: with
 * {@link #spreadingFirstReads} each environment {@linkplain #waiting waits} for its turn, a fixed
 * point within the first interval drawn from its name, and its resources are observed meanwhile
 * with their details unread ({@link io.terrace.planner.ObservedResource#detailsUnread}). A
 * detail changed out of band is then seen within one interval of the start, as it is within one
 * interval of its last read afterwards; any pass that would apply reads them first, as it does
 * with kept ones; and the reads that follow stay spread over the interval instead of falling due
 * together.
 *
 * <p>The nodes of a cluster share them as well ({@link #sharedThrough}): each observe takes in
 * first what the other nodes read or forgot since, and publishes after what it read; a forget is
 * published at once. The drift sweep, on whichever node it runs, then reads each detail once per
 * interval for the whole cluster, not once per node, and an apply on one node makes every node
 * read that environment's details again.
 */
public final class DetailReads {

    /** @param summary {@link #summaryOf the summary}, as compared and as written */
    private record Entry(String summary, Object value, Instant readAt) {}

    /** How often at most {@link #saveIfDue} writes the file. */
    static final Duration SAVE_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger("terrace.aws");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Map<String, Entry>> byEnv = new ConcurrentHashMap<>();
    /** The environments the current thread's observe reads fresh. */
    private final ThreadLocal<Set<String>> fresh = ThreadLocal.withInitial(Set::of);
    private volatile Optional<Path> file = Optional.empty();
    private volatile boolean changed;
    private volatile Instant savedAt = Instant.MIN;
    /** When this started: the first reads {@link #spreadingFirstReads spread} from here. */
    private final Instant started;
    private volatile boolean spread;
    /** The environments whose details were read, loaded or forgotten since the start: none of them waits. */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private volatile Optional<SharedDetails> shared = Optional.empty();
    /** What this node read or forgot and has not yet {@linkplain #exchange published}. */
    private final Queue<SharedDetails.Detail> unpublished = new ConcurrentLinkedQueue<>();

    private DetailReads(Duration interval, Clock clock) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative detail interval: " + interval);
        }
        this.interval = interval;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Reads every detail on every observe: keeps nothing. */
    public static DetailReads always() {
        return new DetailReads(Duration.ZERO, Clock.systemUTC());
    }

    /** Keeps details for {@code interval} (zero: keeps nothing). */
    public static DetailReads every(Duration interval, Clock clock) {
        return new DetailReads(interval, clock);
    }

    /**
     * Keeps details for {@code interval} in memory and in {@code file}: what the file holds that
     * was read less than the interval ago is kept now.
     */
    public static DetailReads keptIn(Path file, Duration interval, Clock clock) {
        DetailReads reads = new DetailReads(interval, clock);
        if (!interval.isZero()) {
            reads.file = Optional.of(file);
            reads.load(file);
        }
        return reads;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * Spreads the first reads of every environment with nothing kept over the first interval
     * from now ({@link #waiting}); without this they are all read at the first observe.
     */
    public DetailReads spreadingFirstReads() {
        spread = !interval.isZero();
        return this;
    }

    /**
     * Whether {@code env}'s details wait for their first read: they are spread, nothing of
     * {@code env} was read, loaded or forgotten since the start, this thread's observe does not
     * read it {@linkplain #fresh fresh}, and its {@linkplain #turn turn} has not come. An observer
     * then leaves the details out and marks the resource
     * ({@link io.terrace.planner.ObservedResource#withDetailsUnread}) instead of reading them.
     */
    public boolean waiting(String env) {
        return spread && !touched.contains(env) && !fresh.get().contains(env)
                && clock.instant().isBefore(started.plus(turn(env, interval)));
    }

    /**
     * When within the first interval {@code env}'s details are first read: a fraction of the
     * interval drawn from a hash of its name, the same on every start and every node.
     */
    static Duration turn(String env, Duration interval) {
        long slot = Integer.toUnsignedLong(Hashing.murmur3_32_fixed().hashString(env, StandardCharsets.UTF_8).asInt());
        return interval.multipliedBy(slot).dividedBy(1L << 32);
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
        String summarised = summaryOf(summary);
        if (e != null && !readFresh && e.summary().equals(summarised) && now.isBefore(e.readAt().plus(interval))) {
            return (T) e.value();
        }
        T value = read.get();
        touched.add(env);
        if (value instanceof Optional<?> o && o.isEmpty()) {
            kept.remove(key);
        } else {
            kept.put(key, new Entry(summarised, value, now));
            if (shared.isPresent()) {
                encode(value).ifPresent(json -> unpublished.add(
                        new SharedDetails.Detail(env, key, summarised, now, json.toString())));
            }
        }
        changed = true;
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
        touched.add(env);
        byEnv.remove(env);
        byEnv.remove(SHARED);
        changed = true;
        if (shared.isPresent()) {
            unpublished.add(SharedDetails.Detail.forgotten(env, clock.instant()));
            exchange();
        }
    }

    /**
     * Shares what is kept with the other nodes of a cluster through {@code details}: drops there
     * what is older than the interval, then takes in what is left (what any node read within it).
     */
    public DetailReads sharedThrough(SharedDetails details) {
        if (!interval.isZero()) {
            try {
                details.prune(clock.instant().minus(interval));
            } catch (IllegalStateException e) {
                unshared("prune", e);
            }
            shared = Optional.of(details);
            exchange();
        }
        return this;
    }

    /**
     * Publishes what this node read or forgot since the last exchange and takes in what the other
     * nodes did: a read newer than the one kept here replaces it, a forget drops what was read
     * before it. Without the database the details stay this node's own until the next exchange.
     */
    public synchronized void exchange() {
        if (shared.isEmpty()) {
            return;
        }
        List<SharedDetails.Detail> out = new ArrayList<>();
        for (SharedDetails.Detail d; (d = unpublished.poll()) != null; ) {
            out.add(d);
        }
        try {
            shared.get().publish(out);
        } catch (IllegalStateException e) {
            unshared("publish", e);
        }
        List<SharedDetails.Detail> news;
        try {
            news = shared.get().news();
        } catch (IllegalStateException e) {
            unshared("take-in", e);
            return;
        }
        Instant now = clock.instant();
        for (SharedDetails.Detail d : news) {
            takeIn(d, now);
        }
    }

    private void takeIn(SharedDetails.Detail d, Instant now) {
        if (d.forgets()) {
            for (String env : List.of(d.environment(), SHARED)) {
                byEnv.computeIfPresent(env, (e, kept) -> {
                    kept.values().removeIf(entry -> entry.readAt().isBefore(d.readAt()));
                    return kept;
                });
            }
            touched.add(d.environment());
            changed = true;
            return;
        }
        if (!now.isBefore(d.readAt().plus(interval))) {
            return;
        }
        Object value;
        try {
            value = decode(JSON.readTree(d.value()));
        } catch (JsonProcessingException | RuntimeException e) {
            return; // written by a node of another build, perhaps: read it from AWS when due
        }
        Entry entry = new Entry(d.summary(), value, d.readAt());
        byEnv.computeIfAbsent(d.environment(), e -> new ConcurrentHashMap<>())
                .merge(d.key(), entry, (mine, theirs) -> theirs.readAt().isAfter(mine.readAt()) ? theirs : mine);
        touched.add(d.environment());
        changed = true;
    }

    private void unshared(String step, IllegalStateException e) {
        LOG.atWarn().setMessage("detail-reads-unshared").addKeyValue("step", step)
                .addKeyValue("error", e.getMessage()).addKeyValue("action", "keeping this node's own until the next observe")
                .log();
    }

    /** Writes the file when something was read since it was last written, at most once a {@link #SAVE_EVERY}. */
    public void saveIfDue() {
        if (changed && !clock.instant().isBefore(savedAt.plus(SAVE_EVERY))) {
            save();
        }
    }

    /**
     * Writes what is kept and still within the interval to the file (if any), one JSON line per
     * detail, replacing it whole. A detail of a kind the file cannot hold stays in memory only.
     */
    public synchronized void save() {
        if (file.isEmpty() || !changed) {
            return;
        }
        Path f = file.get();
        changed = false;
        Instant now = clock.instant();
        savedAt = now;
        try {
            Files.createDirectories(f.toAbsolutePath().getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, Map<String, Entry>> env : new TreeMap<>(byEnv).entrySet()) {
                    for (Map.Entry<String, Entry> detail : new TreeMap<>(env.getValue()).entrySet()) {
                        Entry e = detail.getValue();
                        Optional<JsonNode> value = encode(e.value());
                        if (value.isEmpty() || !now.isBefore(e.readAt().plus(interval))) {
                            continue;
                        }
                        ObjectNode line = JSON.createObjectNode();
                        line.put("environment", env.getKey());
                        line.put("key", detail.getKey());
                        line.put("summary", e.summary());
                        line.put("readAt", e.readAt().toString());
                        line.set("value", value.get());
                        out.write(JSON.writeValueAsString(line));
                        out.write('\n');
                    }
                }
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().setMessage("detail-reads-unwritable").addKeyValue("file", f)
                    .addKeyValue("error", e.toString()).addKeyValue("action", "keeping them in memory only").log();
            file = Optional.empty();
        }
    }

    private void load(Path f) {
        if (!Files.exists(f)) {
            return;
        }
        Instant now = clock.instant();
        int unreadable = 0;
        try {
            for (String text : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                try {
                    JsonNode line = JSON.readTree(text);
                    Instant readAt = Instant.parse(line.get("readAt").asText());
                    if (now.isBefore(readAt.plus(interval))) {
                        touched.add(line.get("environment").asText());
                        byEnv.computeIfAbsent(line.get("environment").asText(), e -> new ConcurrentHashMap<>())
                                .put(line.get("key").asText(), new Entry(line.get("summary").asText(),
                                        decode(line.get("value")), readAt));
                    }
                } catch (JsonProcessingException | RuntimeException e) {
                    unreadable++;
                }
            }
        } catch (IOException e) {
            unreadable = -1;
        }
        if (unreadable != 0) {
            LOG.atWarn().setMessage("detail-reads-lines-skipped").addKeyValue("file", f)
                    .addKeyValue("lines", unreadable < 0 ? "all" : Integer.toString(unreadable))
                    .addKeyValue("action", "reading them from AWS again").log();
        }
    }

    /**
     * A summary as compared and written: maps by key and sets in order, recursively, then as text
     * (tags, an alias's key, a stack's last update time, a status with tags).
     */
    static String summaryOf(Object summary) {
        return String.valueOf(canonical(summary));
    }

    private static Object canonical(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (o instanceof Set<?> set) {
            return set.stream().map(DetailReads::canonical).map(String::valueOf).sorted().toList();
        }
        if (o instanceof Collection<?> c) {
            return c.stream().map(DetailReads::canonical).toList();
        }
        if (o instanceof Optional<?> opt) {
            return opt.map(DetailReads::canonical).map(v -> List.of(v)).orElse(List.of());
        }
        return o;
    }

    /** The kinds of detail the file holds: an observed resource, a map, a text, each maybe optional. */
    private static Optional<JsonNode> encode(Object value) {
        ObjectNode node = JSON.createObjectNode();
        try {
            if (value instanceof Optional<?> o) {
                return o.flatMap(DetailReads::encode).map(inner -> node.set("optional", inner));
            } else if (value instanceof ObservedResource r) {
                ObjectNode resource = node.putObject("resource");
                resource.put("address", r.address());
                resource.put("type", r.type().name());
                resource.put("id", r.id());
                resource.set("attributes", JSON.valueToTree(r.attributes()));
                resource.set("tags", JSON.valueToTree(r.tags()));
            } else if (value instanceof Map<?, ?> m) {
                node.set("map", JSON.valueToTree(m));
            } else if (value instanceof String text) {
                node.put("text", text);
            } else {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a value JSON cannot hold as it is
        }
        return Optional.of(node);
    }

    private static Object decode(JsonNode node) throws JsonProcessingException {
        if (node.has("optional")) {
            return Optional.of(decode(node.get("optional")));
        } else if (node.has("resource")) {
            JsonNode r = node.get("resource");
            return new ObservedResource(r.get("address").asText(), ResourceType.valueOf(r.get("type").asText()),
                    r.get("id").isNull() ? null : r.get("id").asText(), JSON.treeToValue(r.get("attributes"), Map.class),
                    JSON.treeToValue(r.get("tags"), Map.class));
        } else if (node.has("map")) {
            return JSON.treeToValue(node.get("map"), Map.class);
        } else if (node.has("text")) {
            return node.get("text").asText();
        }
        throw new IllegalArgumentException("unknown kind of detail: " + node.fieldNames().next());
    }

    /** How many details of {@code env} are kept (tests). */
    int kept(String env) {
        return byEnv.getOrDefault(env, Map.of()).size();
    }
}
