package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.PaginationTokenExpiredException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;

/**
 * Resource Groups Tagging API sweeps: the tags of every Terrace resource of some types in one
 * paged GetResources (filtered on {@code terrace:managed-by=terrace}), for services whose list or
 * describe calls lack tags (S3 buckets, DB proxies, replication groups, domains, distributions);
 * and the environments that have live resources at all. A resource missing from a sweep lacks
 * Terrace's tag (or its service is one the tagging API does not index): observers then read its
 * tags with the service's own call, so the planner can see why it may not be touched.
 */
public final class TaggingSweep {

    /** The API's largest pages: up to 100 resources, and up to 500 tags, per page. */
    static final int RESOURCES_PER_PAGE = 100;
    static final int TAGS_PER_PAGE = 500;

    private TaggingSweep() {}

    /**
     * @param tagging       the region's tagging client ({@link AwsClients#tagging}, or
     *                      {@link AwsClients#cloudFrontTagging} for CloudFront)
     * @param resourceTypes GetResources type filters, e.g. {@code s3:bucket}, {@code es:domain}
     * @return tags by resource ARN
     */
    public static Map<String, Map<String, String>> managed(ResourceGroupsTaggingApiClient tagging, List<String> resourceTypes) {
        return fromTheStart(() -> managedOnce(tagging, resourceTypes));
    }

    /**
     * The tags of one environment's resources of some types, by ARN: paged GetResources filtered
     * on its {@code terrace:environment} tag, so its cost does not grow with the other
     * environments of the region. The tagging API lists a resource some moments after it was
     * made or tagged.
     */
    public static Map<String, Map<String, String>> ofEnvironment(ResourceGroupsTaggingApiClient tagging,
            List<String> resourceTypes, String environment) {
        return ofEnvironments(tagging, resourceTypes, List.of(environment));
    }

    /** The same for several environments, twenty to a filter. */
    public static Map<String, Map<String, String>> ofEnvironments(ResourceGroupsTaggingApiClient tagging,
            List<String> resourceTypes, Collection<String> environments) {
        return fromTheStart(() -> {
            List<String> names = List.copyOf(new TreeSet<>(environments));
            Map<String, Map<String, String>> byArn = new HashMap<>();
            for (int i = 0; i < names.size(); i += VALUES_PER_FILTER) {
                List<String> chunk = names.subList(i, Math.min(names.size(), i + VALUES_PER_FILTER));
                for (GetResourcesResponse page : tagging.getResourcesPaginator(r -> r
                        .tagFilters(f -> f.key(ObservedResource.ENVIRONMENT).values(chunk))
                        .resourceTypeFilters(resourceTypes)
                        .resourcesPerPage(RESOURCES_PER_PAGE)
                        .tagsPerPage(TAGS_PER_PAGE))) {
                    for (ResourceTagMapping m : page.resourceTagMappingList()) {
                        byArn.put(m.resourceARN(), TerraceTags.fromSdk(m.tags(), Tag::key, Tag::value));
                    }
                }
            }
            return byArn;
        });
    }

    /**
     * A sweep run again from its first page when a page's token has expired: the API refuses a
     * token older than 15 minutes, and an emulator one already answered once, which the SDK's
     * retry of a page whose answer was lost sends again. At most {@link AwsClients#RETRY_ATTEMPTS}
     * runs.
     */
    static <T> T fromTheStart(java.util.function.Supplier<T> sweep) {
        for (int run = 1; ; run++) {
            try {
                return sweep.get();
            } catch (PaginationTokenExpiredException e) {
                if (run >= AwsClients.RETRY_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * The tags of the observed environments' resources of some types, by ARN: for a few
     * environments (one tag filter's worth), GetResources filtered on their
     * {@code terrace:environment} tag, so that observing one environment does not page through the
     * region's whole fleet; for more, every resource Terrace manages ({@link #managed(ResourceGroupsTaggingApiClient, List)}).
     */
    public static Map<String, Map<String, String>> managed(ResourceGroupsTaggingApiClient tagging,
            List<String> resourceTypes, Collection<String> environments) {
        ObserveShare share = ObserveShare.current();
        if (OBSERVED_TYPES.containsAll(resourceTypes) && share.covers(environments)) {
            Set<String> asked = Set.copyOf(environments);
            Map<String, Map<String, String>> all = share.once(List.of("tagging", tagging, asked),
                    () -> read(tagging, OBSERVED_TYPES, asked));
            Map<String, Map<String, String>> out = new HashMap<>();
            all.forEach((arn, tags) -> {
                if (resourceTypes.stream().anyMatch(type -> isOfType(arn, type))) {
                    out.put(arn, tags);
                }
            });
            return out;
        }
        return read(tagging, resourceTypes, environments);
    }

    private static Map<String, Map<String, String>> read(ResourceGroupsTaggingApiClient tagging,
            List<String> resourceTypes, Collection<String> environments) {
        return environments.size() <= VALUES_PER_FILTER ? ofEnvironments(tagging, resourceTypes, environments)
                : managed(tagging, resourceTypes);
    }

    /**
     * The resource types the service observers of a region ask the tagging API for, read in one
     * sweep per observe of the region's environments ({@link ObserveShare}): for one environment, one GetResources instead of one per
     * service; for a fleet, one paged sweep instead of one per service, the same resources.
     */
    static final List<String> OBSERVED_TYPES = List.of("cloudwatch:alarm", "elasticache", "es:domain", "kms:key",
            "logs", "rds:db-proxy", "rds:es", "s3:bucket", "sns:topic");

    /**
     * Whether the ARN is of a GetResources type filter: {@code service} alone, or
     * {@code service:type} with the ARN's resource part {@code type:…} or {@code type/…}, or a
     * bare name (what an SNS topic's and an S3 bucket's ARNs end with).
     */
    static boolean isOfType(String arn, String filter) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return false;
        }
        int colon = filter.indexOf(':');
        String service = colon < 0 ? filter : filter.substring(0, colon);
        if (!parts[2].equals(service)) {
            return false;
        }
        if (colon < 0) {
            return true;
        }
        String type = filter.substring(colon + 1);
        String resource = parts[5];
        return resource.startsWith(type + ":") || resource.startsWith(type + "/")
                || (resource.indexOf(':') < 0 && resource.indexOf('/') < 0);
    }

    private static Map<String, Map<String, String>> managedOnce(ResourceGroupsTaggingApiClient tagging,
            List<String> resourceTypes) {
        Map<String, Map<String, String>> byArn = new HashMap<>();
        for (GetResourcesResponse page : tagging.getResourcesPaginator(r -> r
                .tagFilters(f -> f.key(ObservedResource.MANAGED_BY).values("terrace"))
                .resourceTypeFilters(resourceTypes)
                .resourcesPerPage(RESOURCES_PER_PAGE)
                .tagsPerPage(TAGS_PER_PAGE))) {
            for (ResourceTagMapping m : page.resourceTagMappingList()) {
                byArn.put(m.resourceARN(), TerraceTags.fromSdk(m.tags(), Tag::key, Tag::value));
            }
        }
        return byArn;
    }

    /** GetResources takes at most this many values in one tag filter. */
    static final int VALUES_PER_FILTER = 20;

    /**
     * Those of {@code environments} that have a resource whose ARN names a region (the fourth
     * field: empty for S3 buckets and CloudFront distributions), found by their
     * {@code terrace:environment} tag in paged GetResources, twenty environments per filter.
     */
    static Set<String> regional(ResourceGroupsTaggingApiClient tagging, Collection<String> environments) {
        return fromTheStart(() -> regionalOnce(tagging, environments));
    }

    private static Set<String> regionalOnce(ResourceGroupsTaggingApiClient tagging, Collection<String> environments) {
        List<String> names = List.copyOf(new TreeSet<>(environments));
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < names.size(); i += VALUES_PER_FILTER) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + VALUES_PER_FILTER));
            for (GetResourcesResponse page : tagging.getResourcesPaginator(r -> r
                    .tagFilters(f -> f.key(ObservedResource.ENVIRONMENT).values(chunk))
                    .resourcesPerPage(RESOURCES_PER_PAGE)
                    .tagsPerPage(TAGS_PER_PAGE))) {
                for (ResourceTagMapping m : page.resourceTagMappingList()) {
                    String[] arn = m.resourceARN().split(":", 5);
                    if (arn.length > 3 && !arn[3].isEmpty()) {
                        m.tags().stream().filter(t -> t.key().equals(ObservedResource.ENVIRONMENT))
                                .forEach(t -> out.add(t.value()));
                    }
                }
            }
        }
        out.retainAll(names);
        return out;
    }

    /** Every value of {@code terrace:environment} in the region: environments with live resources. */
    static Set<String> environments(ResourceGroupsTaggingApiClient tagging) {
        return fromTheStart(() -> {
            Set<String> out = new TreeSet<>();
            tagging.getTagValuesPaginator(r -> r.key(ObservedResource.ENVIRONMENT)).tagValues().forEach(out::add);
            return out;
        });
    }
}
