package io.terrace.reconciler.aws.cloudfront;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.ObserveShare;
import io.terrace.reconciler.aws.ServiceObserver;
import io.terrace.reconciler.aws.TaggingSweep;
import io.terrace.reconciler.aws.network.NetworkStacks;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Observes the CDN of many environments: one paged ListDistributions sweep matched on the
 * {@code terrace:<env>} comment, then the tags (which the list lacks) from one tagging-API sweep
 * in us-east-1, where CloudFront's resources are listed, with ListTagsForResource only for a
 * distribution missing from it. A {@linkplain ServiceObserver#FEW few} environments' distributions
 * are found by their {@code terrace:environment} tag there instead, each read with GetDistribution:
 * observing one environment does not page through the account's distributions. An environment
 * the tagging API lists no distribution of (it has none, its new one is not indexed yet, or one
 * with its comment lacks Terrace's tags) is looked for in the list all the same, once its network
 * stack exists (DescribeStacks by name): a new environment's observe does not page through the
 * account's distributions, nor does its create ({@link CloudFrontDriver#read}). The list and the
 * tags are global: an observe across regions reads them once ({@link ObserveShare}).
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
        Map<String, Map<String, String>> tags = new HashMap<>();
        Map<String, List<CloudFrontLive.View>> found = new HashMap<>();
        if (ServiceObserver.few(environments)) {
            CloudFrontLive.tagged(aws, environments, tags).forEach((comment, views) -> {
                if (commentEnv.containsKey(comment)) {
                    found.put(comment, views);
                }
            });
        }
        // The comments not found by tag (or all of them, for many environments), in the account's list.
        Set<String> unseen = new HashSet<>(commentEnv.keySet());
        unseen.removeAll(found.keySet());
        if (ServiceObserver.few(environments)) {
            // A distribution fronts its environment's load balancer, which the network stack makes:
            // an environment without its stack (a new one) has none to look for in the list.
            unseen.removeIf(comment -> NetworkStacks.describe(aws, ResourceNames.networkStack(commentEnv.get(comment)))
                    .isEmpty());
        }
        if (!unseen.isEmpty()) {
            Map<String, List<CloudFrontLive.View>> listed = listed(environments, unseen);
            if (!listed.isEmpty() && !ServiceObserver.few(environments)) {
                tags.putAll(ObserveShare.current().once("cloudfront:tags",
                        () -> TaggingSweep.managed(aws.cloudFrontTagging, CloudFrontLive.TYPES)));
            }
            found.putAll(listed);
        }
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

    /**
     * The distributions with one of {@code comments}, by comment. CloudFront is global: an observe
     * across regions lists the distributions of all its environments once, and each region takes
     * its own.
     */
    private Map<String, List<CloudFrontLive.View>> listed(Collection<String> environments, Set<String> comments) {
        ObserveShare share = ObserveShare.current();
        if (ServiceObserver.few(environments) || !share.covers(environments)) {
            return CloudFrontLive.byComment(aws.cloudFront, comments);
        }
        Map<String, List<CloudFrontLive.View>> all = share.once("cloudfront:distributions", () -> CloudFrontLive.byComment(
                aws.cloudFront, share.environments().stream().map(ResourceNames::cdnComment).collect(Collectors.toSet())));
        Map<String, List<CloudFrontLive.View>> out = new HashMap<>();
        all.forEach((comment, views) -> {
            if (comments.contains(comment)) {
                out.put(comment, views);
            }
        });
        return out;
    }
}
