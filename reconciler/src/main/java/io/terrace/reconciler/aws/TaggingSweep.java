package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * One paged Resource Groups Tagging API sweep: the tags of every resource of the given types that
 * carries {@code terrace:managed-by=terrace}, by ARN. It stands in for one tag read per resource
 * where a service's describe call has no tags (S3 buckets, ElastiCache groups).
 */
public final class TaggingSweep {

    /** The API's largest pages: up to 100 resources, and up to 500 tags, per page. */
    static final int RESOURCES_PER_PAGE = 100;
    static final int TAGS_PER_PAGE = 500;

    private TaggingSweep() {}

    /** @param resourceTypes tagging-API types such as {@code s3:bucket} */
    public static Map<String, Map<String, String>> managed(AwsClients aws, List<String> resourceTypes) {
        Map<String, Map<String, String>> byArn = new HashMap<>();
        aws.tagging.getResourcesPaginator(r -> r
                        .tagFilters(TagFilter.builder().key(ObservedResource.MANAGED_BY).values("terrace").build())
                        .resourceTypeFilters(resourceTypes)
                        .resourcesPerPage(RESOURCES_PER_PAGE)
                        .tagsPerPage(TAGS_PER_PAGE))
                .resourceTagMappingList().forEach(m -> {
                    Map<String, String> tags = new LinkedHashMap<>();
                    m.tags().forEach(t -> tags.put(t.key(), t.value()));
                    byArn.put(m.resourceARN(), tags);
                });
        return byArn;
    }

    /** Every value of {@code terrace:environment} in the region: environments with live resources. */
    public static Set<String> environments(AwsClients aws) {
        Set<String> out = new TreeSet<>();
        aws.tagging.getTagValuesPaginator(r -> r.key(ObservedResource.ENVIRONMENT)).tagValues().forEach(out::add);
        return out;
    }
}
