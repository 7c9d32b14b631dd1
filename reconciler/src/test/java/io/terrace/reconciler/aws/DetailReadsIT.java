package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.AttributeKeys;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ObservedStateJson;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.aws.kms.KmsKeys;
import io.terrace.reconciler.aws.kms.KmsObserver;
import io.terrace.reconciler.aws.monitoring.SnsObserver;
import io.terrace.reconciler.aws.s3.S3Observer;
import io.terrace.reconciler.engine.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Details kept between observes ({@link DetailReads}), against moto: an alert key, a topic and a
 * bucket of two environments, observed cold, warm, after the interval, fresh, and after a change
 * of the summary the sweep sees (tags). Calls are counted with {@link AwsCallCounter}.
 */
@NeedsMoto
class DetailReadsIT {

    private static final Duration INTERVAL = Duration.ofHours(1);
    /**
     * More than {@link ServiceObserver#FEW}, as a sweep observes: a few environments find their
     * keys and topics with DescribeKey and GetTopicAttributes, which they read on every observe.
     */
    private static final List<String> ENVS = List.of("acme-production", "acme-staging", "acme-dev", "blog-production",
            "blog-staging", "blog-dev");
    /** The calls that read details, which no sweep answers. */
    private static final List<String> DETAIL_CALLS = List.of("Kms:DescribeKey", "Kms:GetKeyPolicy",
            "Kms:GetKeyRotationStatus", "Sns:GetTopicAttributes", "S3:GetBucketVersioning",
            "S3:GetBucketEncryption", "S3:GetPublicAccessBlock", "S3:GetBucketPolicy", "S3:GetBucketOwnershipControls");

    private AwsClients aws;
    private MutableClock clock;
    private DetailReads details;
    private AwsObserver observer;
    private final Map<String, String> keyByEnv = new java.util.HashMap<>();

    @BeforeEach
    void setUp() {
        Moto.reset();
        aws = Moto.clients();
        clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
        details = DetailReads.every(INTERVAL, clock);
        observer = new AwsObserver(aws, List.of(new S3Observer(aws, details), new SnsObserver(aws, details),
                new KmsObserver(aws, details)), details);
        for (String env : ENVS) {
            Map<String, String> tags = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, env);
            aws.sns.createTopic(r -> r.name(ResourceNames.alertTopic(env)).tags(tags.entrySet().stream()
                    .map(t -> software.amazon.awssdk.services.sns.model.Tag.builder().key(t.getKey()).value(t.getValue()).build())
                    .toList()));
            String keyId = aws.kms.createKey(r -> r.tags(tags.entrySet().stream()
                    .map(t -> software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(t.getKey()).tagValue(t.getValue()).build())
                    .toList())).keyMetadata().keyId();
            aws.kms.enableKeyRotation(r -> r.keyId(keyId));
            aws.kms.createAlias(r -> r.aliasName(ResourceNames.alertKeyAlias(env)).targetKeyId(keyId));
            keyByEnv.put(env, keyId);
            String bucket = ResourceNames.assetsBucket(env);
            aws.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(Moto.REGION.id())));
            aws.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(tags.entrySet().stream()
                    .map(e -> software.amazon.awssdk.services.s3.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                    .toList())));
            aws.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
    }

    @AfterEach
    void tearDown() {
        aws.close();
    }

    private Map<String, Long> detailCalls() {
        return aws.counter().snapshot().entrySet().stream().filter(e -> DETAIL_CALLS.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new));
    }

    private long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Object attribute(ObservedState s, String address, String key) {
        return s.resources().get(address).attributes().get(key);
    }

    @Test
    void warmObservesReadNoDetailUntilTheIntervalHasPassed() {
        aws.counter().reset();
        ObservedState cold = observer.observe(ENVS);
        Map<String, Long> coldCalls = detailCalls();
        long coldAll = aws.counter().total();
        System.out.printf("terrace: detail reads cold %s (%d calls in all for %d environments)%n", coldCalls, coldAll, ENVS.size());
        assertEquals(3 * ENVS.size(), cold.resources().size());
        // Per environment: DescribeKey, GetKeyPolicy, GetKeyRotationStatus, GetTopicAttributes, five bucket reads.
        assertEquals(9L * ENVS.size(), total(coldCalls), coldCalls.toString());

        clock.advance(INTERVAL.minusMinutes(1));
        aws.counter().reset();
        ObservedState warm = observer.observe(ENVS);
        Map<String, Long> warmCalls = aws.counter().snapshot();
        System.out.printf("terrace: warm %s (%d calls for %d environments)%n", warmCalls, aws.counter().total(), ENVS.size());
        assertEquals(Map.of(), detailCalls(), "no detail read while kept");
        assertEquals(0L, warmCalls.getOrDefault("Kms:ListResourceTags", 0L), "tags kept with the key: " + warmCalls);
        assertEquals(cold.resources(), warm.resources(), "the same state from kept details");
        assertTrue(aws.counter().total() < coldAll - 9L * ENVS.size() + 1, "warm " + warmCalls);

        clock.advance(Duration.ofMinutes(2));
        aws.counter().reset();
        observer.observe(ENVS);
        assertEquals(9L * ENVS.size(), total(detailCalls()), "read again after the interval: " + detailCalls());
    }

    @Test
    void aRestartedDaemonReadsNoDetailItReadLessThanTheIntervalAgo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
        java.nio.file.Path file = data.resolve("detail-reads.jsonl");
        DetailReads kept = DetailReads.keptIn(file, INTERVAL, clock);
        ObservedState cold = observerKeeping(kept).observe(ENVS);
        kept.save();

        clock.advance(INTERVAL.minusMinutes(1));
        aws.counter().reset();
        ObservedState restarted = observerKeeping(DetailReads.keptIn(file, INTERVAL, clock)).observe(ENVS);
        System.out.printf("terrace: after a restart %s (%d calls for %d environments)%n", aws.counter().snapshot(),
                aws.counter().total(), ENVS.size());
        assertEquals(Map.of(), detailCalls(), "no detail read again after a restart within the interval");
        assertEquals(io.terrace.planner.ObservedStateJson.write(cold), io.terrace.planner.ObservedStateJson.write(restarted),
                "the same state from the file's details");

        clock.advance(Duration.ofMinutes(2));
        aws.counter().reset();
        observerKeeping(DetailReads.keptIn(file, INTERVAL, clock)).observe(ENVS);
        assertEquals(9L * ENVS.size(), total(detailCalls()), "read again once due: " + detailCalls());
    }

    private AwsObserver observerKeeping(DetailReads kept) {
        return new AwsObserver(aws, List.of(new S3Observer(aws, kept), new SnsObserver(aws, kept),
                new KmsObserver(aws, kept)), kept);
    }

    @Test
    void aDetailDriftIsFoundFreshAtOnceAndBySweepsAfterTheInterval() {
        observer.observe(ENVS);
        String env = ENVS.get(0);
        String key = KmsKeys.address(env);
        String bucket = io.terrace.reconciler.aws.Addresses.assetsBucket(env);
        assertEquals(true, attribute(observer.observe(ENVS), key, AttributeKeys.KmsKey.ROTATION));

        // Out of band: rotation off and versioning suspended. No tag changed, so sweeps keep the old details.
        aws.kms.disableKeyRotation(r -> r.keyId(keyByEnv.get(env)));
        aws.s3.putBucketVersioning(r -> r.bucket(ResourceNames.assetsBucket(env))
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
        clock.advance(Duration.ofMinutes(5));
        ObservedState swept = observer.observe(ENVS);
        assertEquals(true, attribute(swept, key, AttributeKeys.KmsKey.ROTATION), "kept within the interval");
        assertEquals(true, attribute(swept, bucket, AttributeKeys.S3Bucket.VERSIONING));

        // A forced refresh (a commit's pass, a refresh, before an apply) reads them at once, for that environment only.
        aws.counter().reset();
        ObservedState fresh = observer.observeFresh(List.of(env));
        assertEquals(false, attribute(fresh, key, AttributeKeys.KmsKey.ROTATION));
        assertEquals(false, attribute(fresh, bucket, AttributeKeys.S3Bucket.VERSIONING));
        assertEquals(9L, total(detailCalls()), "one environment's details: " + detailCalls());

        // What the fresh read found is kept: the next sweep sees it too.
        assertEquals(false, attribute(observer.observe(ENVS), key, AttributeKeys.KmsKey.ROTATION));

        // A drift nobody forced a refresh for is found by the first sweep after the interval.
        String other = ENVS.get(1);
        aws.kms.disableKeyRotation(r -> r.keyId(keyByEnv.get(other)));
        assertEquals(true, attribute(observer.observe(ENVS), KmsKeys.address(other), AttributeKeys.KmsKey.ROTATION));
        clock.advance(INTERVAL);
        assertEquals(false, attribute(observer.observe(ENVS), KmsKeys.address(other), AttributeKeys.KmsKey.ROTATION));
    }

    @Test
    void aFreshDaemonSpreadsItsFirstDetailReadsOverTheInterval() {
        AwsObserver spread = observerKeeping(DetailReads.every(INTERVAL, clock).spreadingFirstReads());
        String env = ENVS.get(0);
        String bucket = io.terrace.reconciler.aws.Addresses.assetsBucket(env);
        aws.s3.putBucketVersioning(r -> r.bucket(ResourceNames.assetsBucket(env))
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

        aws.counter().reset();
        ObservedState start = spread.observe(ENVS);
        assertEquals(Map.of(), detailCalls(), "no detail read at the start");
        assertEquals(3 * ENVS.size(), start.resources().size(), "every resource found: " + start.resources().keySet());
        assertTrue(start.resources().values().stream().allMatch(ObservedResource::detailsUnread), start.toString());
        assertEquals(null, attribute(start, bucket, AttributeKeys.S3Bucket.VERSIONING), "not read, so not compared");
        assertEquals(aws.kms.describeKey(r -> r.keyId(keyByEnv.get(env))).keyMetadata().arn(),
                attribute(start, KmsKeys.address(env), AttributeKeys.KmsKey.ARN), "the key's ARN, which others name");
        assertEquals(ObservedStateJson.write(start.only(java.util.Set.of(ENVS.get(1)))),
                ObservedStateJson.write(spread.observe(ENVS).only(java.util.Set.of(ENVS.get(1)))), "the same while waiting");

        // A pass that would apply reads fresh: it sees what was changed by hand before the start.
        aws.counter().reset();
        ObservedState fresh = spread.observeFresh(List.of(env));
        assertEquals(false, attribute(fresh, bucket, AttributeKeys.S3Bucket.VERSIONING));
        assertEquals(9L, total(detailCalls()), "one environment's details: " + detailCalls());

        // Halfway through the interval, the environments whose turn has come are read, once each.
        clock.advance(INTERVAL.dividedBy(2));
        List<String> due = ENVS.stream().skip(1)
                .filter(e -> DetailReads.turn(e, INTERVAL).compareTo(INTERVAL.dividedBy(2)) <= 0).toList();
        aws.counter().reset();
        ObservedState half = spread.observe(ENVS);
        // And the fresh environment's topic: read by its ARN, as one environment is, it was not kept.
        assertEquals(9L * due.size() + 1, total(detailCalls()), "due " + due + ": " + detailCalls());
        for (String e : ENVS) {
            assertEquals(!due.contains(e) && !e.equals(env),
                    half.resources().get(KmsKeys.address(e)).detailsUnread(), e + " waits until its turn");
        }

        // By the end of the interval every environment was read, and none waits any more.
        clock.advance(INTERVAL.dividedBy(2));
        aws.counter().reset();
        ObservedState end = spread.observe(ENVS);
        assertEquals(9L * (ENVS.size() - 1 - due.size()) + 8, total(detailCalls()),
                "the rest, and the key and bucket read fresh an interval ago: " + detailCalls());
        assertTrue(end.resources().values().stream().noneMatch(ObservedResource::detailsUnread), end.toString());
        assertEquals(false, attribute(end, bucket, AttributeKeys.S3Bucket.VERSIONING));
    }

    @Test
    void aChangedSummaryOrAForgottenEnvironmentIsReadAgain() {
        observer.observe(ENVS);
        String env = ENVS.get(0);
        String bucket = ResourceNames.assetsBucket(env);
        aws.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
        // The bucket's tags (from the tagging sweep) change: its settings are read again at once.
        aws.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key(ObservedResource.MANAGED_BY).value("terrace").build(),
                software.amazon.awssdk.services.s3.model.Tag.builder().key(ObservedResource.ENVIRONMENT).value(env).build(),
                software.amazon.awssdk.services.s3.model.Tag.builder().key("team").value("web").build())));
        assertEquals(false, attribute(observer.observe(ENVS), io.terrace.reconciler.aws.Addresses.assetsBucket(env),
                AttributeKeys.S3Bucket.VERSIONING));

        // After an apply the environment's details are forgotten: the next sweep reads them all.
        aws.counter().reset();
        observer.forgetDetails(env);
        observer.observe(ENVS);
        assertEquals(9L, total(detailCalls()), "the forgotten environment's details only: " + detailCalls());
    }

    @Test
    void aZeroIntervalReadsEveryDetailOnEveryObserve() {
        DetailReads always = DetailReads.always();
        AwsObserver oneShot = new AwsObserver(aws, List.of(new S3Observer(aws, always), new SnsObserver(aws, always),
                new KmsObserver(aws, always)), always);
        oneShot.observe(ENVS);
        aws.counter().reset();
        oneShot.observe(ENVS);
        assertEquals(9L * ENVS.size(), total(detailCalls()), detailCalls().toString());
    }

    /**
     * An account of over a thousand buckets: the bucket listed after the thousandth is observed
     * (moto cuts a ListBuckets page at max-buckets without a continuation token).
     */
    @Test
    void aBucketAfterTheAccountsThousandthIsObserved() {
        String env = ENVS.get(0);
        String bucket = ResourceNames.assetsBucket(env);
        for (int i = 0; i < 1000; i++) {
            String other = String.format("someone-else-%04d", i);
            aws.s3.createBucket(r -> r.bucket(other).createBucketConfiguration(c -> c.locationConstraint(Moto.REGION.id())));
        }
        // Made again, it is listed last.
        aws.s3.deleteBucket(r -> r.bucket(bucket));
        aws.s3.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(Moto.REGION.id())));
        aws.s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key(ObservedResource.MANAGED_BY).value("terrace").build(),
                software.amazon.awssdk.services.s3.model.Tag.builder().key(ObservedResource.ENVIRONMENT).value(env).build())));
        ObservedState observed = observer.observe(ENVS);
        for (String e : ENVS) {
            assertTrue(observed.resources().containsKey(e + "/assets/bucket"), e + ": its bucket is observed");
        }
    }
}
