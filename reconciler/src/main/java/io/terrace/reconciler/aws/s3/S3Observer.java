package io.terrace.reconciler.aws.s3;

import io.terrace.reconciler.aws.Addresses;
import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ObserveShare;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assets buckets: one paged ListBuckets for existence (a {@linkplain ServiceObserver#FEW few}
 * environments' with their bucket names as prefixes), one tagging sweep for the tags of
 * Terrace's buckets, then the five detail reads S3 has no batch API for (versioning, encryption,
 * public access block, bucket policy, ownership controls). A same-named bucket the sweep does not
 * return (someone else's) has its tags read directly, so the planner sees why it may not be
 * touched.
 */
public final class S3Observer implements ServiceObserver {

    /**
     * Buckets per ListBuckets page: the most AWS allows, so an account of up to 10,000 buckets is
     * one call. moto 5.2.6 cuts a page at {@code max-buckets} without a continuation token, so a
     * smaller page silently lost the buckets after it (three of 1,003 in the fleet benchmark).
     */
    static final int MAX_BUCKETS = 10_000;

    private final AwsClients aws;
    private final DetailReads details;

    public S3Observer(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where the detail reads are kept between observes */
    public S3Observer(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> envByBucket = new LinkedHashMap<>();
        environments.forEach(env -> envByBucket.put(ResourceNames.assetsBucket(env), env));
        List<ObservedResource> out = new ArrayList<>();
        if (envByBucket.isEmpty()) {
            return out;
        }
        Set<String> existing = new HashSet<>();
        if (ServiceObserver.few(environments)) {
            // A few environments' buckets are listed by their own names as prefixes, not the account's.
            envByBucket.keySet().forEach(bucket -> existing.addAll(listed(bucket)));
        } else {
            // ListBuckets is global: the regions of an observe share one list of the account's buckets.
            existing.addAll(ObserveShare.current().once("s3:buckets", () -> listed("")));
        }
        existing.retainAll(envByBucket.keySet());
        if (existing.isEmpty()) {
            return out;
        }
        Map<String, Map<String, String>> tagsByBucket = new LinkedHashMap<>();
        // Bucket ARNs are arn:<partition>:s3:::<name>.
        TaggingSweep.managed(aws.tagging, List.of("s3:bucket"), environments)
                .forEach((arn, tags) -> tagsByBucket.put(arn.substring(arn.lastIndexOf(':') + 1), tags));
        for (Map.Entry<String, String> e : envByBucket.entrySet()) {
            String bucket = e.getKey();
            if (!existing.contains(bucket)) {
                continue;
            }
            Map<String, String> tags = tagsByBucket.get(bucket);
            if (tags == null) {
                tags = Buckets.tags(aws, bucket);
            }
            Map<String, String> summary = tags;
            String address = Addresses.assetsBucket(e.getValue());
            out.add(details.waiting(e.getValue()) ? Buckets.unread(address, bucket, summary)
                    : details.read(e.getValue(), "s3:" + bucket, summary, () -> Buckets.read(aws, address, bucket, summary)));
        }
        return out;
    }

    /** The names of the account's buckets that start with {@code prefix} (all of them for ""). */
    private Set<String> listed(String prefix) {
        Set<String> names = new HashSet<>();
        aws.s3.listBucketsPaginator(r -> r.maxBuckets(MAX_BUCKETS).prefix(prefix.isEmpty() ? null : prefix)).buckets()
                .forEach(b -> names.add(b.name()));
        return names;
    }
}
