package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DetailReads} kept in a file of the daemon's data folder: what a restarted daemon need not read again. */
class DetailReadsFileTest {

    private static final Duration INTERVAL = Duration.ofHours(1);

    @TempDir
    Path data;
    private Path file;
    private MutableClock clock;
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void setUp() {
        file = data.resolve("detail-reads.jsonl");
        clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    }

    private <T> Supplier<T> counted(T value) {
        return () -> {
            reads.incrementAndGet();
            return value;
        };
    }

    private static ObservedResource bucket() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("versioning", true);
        attributes.put("noncurrentDays", 30);
        attributes.put("policy", Map.of("Statement", List.of(Map.of("Effect", "Deny", "Sid", "TlsOnly"))));
        return new ObservedResource("acme/assets/bucket", ResourceType.S3_BUCKET, "terrace-acme-assets", attributes,
                Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, "acme"));
    }

    /** One detail of each kind the observers keep, with the summaries they compare. */
    private List<Object> readAll(DetailReads details) {
        List<Object> out = new ArrayList<>();
        out.add(details.read("acme", "s3:terrace-acme-assets", Map.of("b", "2", "a", "1"), counted(bucket())));
        out.add(details.read("acme", "kms:k1", Map.of("terrace:environment", "acme"), counted(Optional.of(bucket()))));
        out.add(details.read("acme", "sns:t", Map.of(), counted(Optional.of(Map.of("Policy", "{}", "KmsMasterKeyId", "k1")))));
        out.add(details.read("acme", "origin-secret-policy", Instant.parse("2026-12-06T09:00:00Z"),
                counted(Optional.of("{\"Version\":\"2012-10-17\"}"))));
        out.add(details.read("acme", "lb-attributes", "arn:lb", counted(Map.<String, Object>of("deletionProtection", false))));
        out.add(details.read("acme", "acm:c", List.of("ISSUED", Map.of("x", "y")), counted(Optional.of(bucket()))));
        return out;
    }

    @Test
    void aRestartReadsNoDetailReadLessThanTheIntervalAgo() throws Exception {
        DetailReads before = DetailReads.keptIn(file, INTERVAL, clock);
        List<Object> first = readAll(before);
        assertEquals(6, reads.get());
        before.save();
        assertEquals(6, Files.readAllLines(file).size(), "one line per detail");

        clock.advance(INTERVAL.minusMinutes(1));
        reads.set(0);
        DetailReads restarted = DetailReads.keptIn(file, INTERVAL, clock);
        List<Object> again = readAll(restarted);
        assertEquals(0, reads.get(), "every detail read 59 minutes ago is kept across the restart");
        assertEquals(first, again, "the same values as read");

        // The summary a sweep sees changed: read again. Maps compare whatever their order.
        assertEquals(bucket(), restarted.read("acme", "s3:terrace-acme-assets", new java.util.TreeMap<>(Map.of("a", "1", "b", "2")),
                counted(bucket())));
        assertEquals(0, reads.get());
        restarted.read("acme", "s3:terrace-acme-assets", Map.of("a", "1", "b", "3"), counted(bucket()));
        assertEquals(1, reads.get());
    }

    @Test
    void aRestartAfterTheIntervalReadsEveryDetailAgain() {
        DetailReads before = DetailReads.keptIn(file, INTERVAL, clock);
        readAll(before);
        before.save();

        clock.advance(INTERVAL);
        reads.set(0);
        readAll(DetailReads.keptIn(file, INTERVAL, clock));
        assertEquals(6, reads.get(), "the interval holds across restarts: each detail is read when it is due");
    }

    @Test
    void freshEnvironmentsAndForgottenOnesAreReadFromAwsWhateverTheFileHolds() {
        DetailReads before = DetailReads.keptIn(file, INTERVAL, clock);
        readAll(before);
        before.forget("acme");
        before.save();
        reads.set(0);
        readAll(DetailReads.keptIn(file, INTERVAL, clock));
        assertEquals(6, reads.get(), "a forgotten environment is not written");

        DetailReads restarted = DetailReads.keptIn(file, INTERVAL, clock);
        restarted.save();
        reads.set(0);
        restarted.fresh(List.of("acme"), () -> readAll(restarted));
        assertEquals(6, reads.get(), "read fresh");
    }

    @Test
    void anUnreadableLineIsReadFromAwsAgainAndTheOthersAreKept() throws Exception {
        DetailReads before = DetailReads.keptIn(file, INTERVAL, clock);
        readAll(before);
        before.save();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(0, lines.get(0).substring(0, 20));
        Files.write(file, lines, StandardCharsets.UTF_8);

        reads.set(0);
        readAll(DetailReads.keptIn(file, INTERVAL, clock));
        assertEquals(1, reads.get());
    }

    @Test
    void aValueTheFileCannotHoldIsKeptInMemoryOnly() {
        DetailReads before = DetailReads.keptIn(file, INTERVAL, clock);
        Object opaque = new Object();
        assertTrue(before.read("acme", "opaque", "s", counted(opaque)) == opaque);
        assertTrue(before.read("acme", "opaque", "s", counted(new Object())) == opaque, "kept in memory");
        before.save();
        reads.set(0);
        DetailReads.keptIn(file, INTERVAL, clock).read("acme", "opaque", "s", counted(new Object()));
        assertEquals(1, reads.get());
    }

    @Test
    void savesAtMostOnceAMinuteAndOnlyAfterAReadAndNothingWithoutAFileOrAnInterval() throws Exception {
        DetailReads details = DetailReads.keptIn(file, INTERVAL, clock);
        details.saveIfDue();
        assertTrue(Files.notExists(file), "nothing read, nothing written");
        readAll(details);
        details.saveIfDue();
        assertEquals(6, Files.readAllLines(file).size());
        details.read("blog", "s3:terrace-blog-assets", Map.of(), counted(bucket()));
        details.saveIfDue();
        assertEquals(6, Files.readAllLines(file).size(), "not again within a minute");
        clock.advance(DetailReads.SAVE_EVERY);
        details.saveIfDue();
        assertEquals(7, Files.readAllLines(file).size());

        Path other = data.resolve("none.jsonl");
        DetailReads always = DetailReads.keptIn(other, Duration.ZERO, clock);
        readAll(always);
        always.save();
        assertTrue(Files.notExists(other), "a zero interval keeps nothing");
    }
}
