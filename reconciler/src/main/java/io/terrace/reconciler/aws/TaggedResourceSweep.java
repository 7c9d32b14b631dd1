package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;

/**
 * The tags of every Terrace resource of some resource types in one region, read in one paged
 * Resource Groups Tagging API sweep (GetResources filtered on {@code terrace:managed-by=terrace}),
 * for services whose describe calls do not return tags. A resource missing from the sweep lacks
 * Terrace's tag (or the service is one the tagging API does not cover): observers then read its
 * tags with the service's own call.
 */
final class TaggedResourceSweep {

    /** GetResources returns at most 100 resources per page… */
    private static final int PAGE = 100;
    /** …and at most 500 tags (Terrace resources carry five or six each). */
    private static final int TAGS_PER_PAGE = 500;

    private TaggedResourceSweep() {}

    /**
     * @param region      the region to sweep (CloudFront's resources are listed in us-east-1)
     * @param typeFilters GetResources resource type filters, e.g. {@code es:domain}
     * @return tags by resource ARN
     */
    static Map<String, Map<String, String>> managed(AwsClients aws, Region region, List<String> typeFilters) {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (ResourceGroupsTaggingApiClient tagging = client(aws, region)) {
            for (GetResourcesResponse page : tagging.getResourcesPaginator(r -> r
                    .tagFilters(f -> f.key(ObservedResource.MANAGED_BY).values("terrace"))
                    .resourceTypeFilters(typeFilters)
                    .resourcesPerPage(PAGE)
                    .tagsPerPage(TAGS_PER_PAGE))) {
                for (ResourceTagMapping m : page.resourceTagMappingList()) {
                    out.put(m.resourceARN(), TerraceTags.fromSdk(m.tags(), Tag::key, Tag::value));
                }
            }
        }
        return out;
    }

    /**
     * A tagging client on the same endpoint, call counter and retry strategy as the other clients
     * (AwsClients has none of its own: the data-service observers are its only users).
     */
    private static ResourceGroupsTaggingApiClient client(AwsClients aws, Region region) {
        var source = aws.rds.serviceClientConfiguration();
        var override = ClientOverrideConfiguration.builder().addExecutionInterceptor(aws.counter());
        source.overrideConfiguration().retryStrategy().ifPresent(override::retryStrategy);
        var builder = ResourceGroupsTaggingApiClient.builder()
                .region(region)
                .overrideConfiguration(override.build());
        source.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
