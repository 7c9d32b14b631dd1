package io.terrace.reconciler.aws.cloudfront;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Observes the CDN of many environments: one paged ListDistributions sweep matched on the
 * {@code terrace:<env>} comment, then the tags (which the list lacks) from one tagging-API sweep
 * in us-east-1, where CloudFront's resources are listed, with ListTagsForResource only for a
 * distribution missing from it.
 */
public final class CloudFrontObserver implements ServiceObserver {

    private final AwsClients aws;

    public CloudFrontObserver(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        Map<String, String> commentEnv = new HashMap<>();
        environments.forEach(env -> commentEnv.put(ResourceNames.cdnComment(env), env));
        Map<String, List<CloudFrontLive.View>> found = CloudFrontLive.byComment(aws.cloudFront, commentEnv.keySet());
        if (found.isEmpty()) {
            return List.of();
        }
        Map<String, Map<String, String>> tags = new HashMap<>(
                TaggingSweep.managed(aws.cloudFrontTagging, List.of("cloudfront:distribution")));
        List<ObservedResource> out = new ArrayList<>();
        found.forEach((comment, candidates) -> {
            String env = commentEnv.get(comment);
            CloudFrontLive.View chosen = CloudFrontLive.pick(env, candidates, tags);
            Map<String, String> t = tags.get(chosen.arn());
            if (t == null) {
                t = CloudFrontLive.listTags(aws.cloudFront, chosen.arn());
            }
            out.add(CloudFrontLive.observed(env, chosen, t));
        });
        return out;
    }
}
