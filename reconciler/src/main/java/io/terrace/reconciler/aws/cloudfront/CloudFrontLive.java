package io.terrace.reconciler.aws.cloudfront;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TaggingSweep;
import io.terrace.reconciler.aws.TerraceTags;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.reconciler.aws.rds.RdsLive;

import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.Aliases;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.CacheBehaviors;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.Tag;

/**
 * CloudFront distributions have no name: Terrace finds an environment's by its comment
 * ({@code terrace:<env>}) in one paged ListDistributions sweep, or, for one or a few environments,
 * by its {@code terrace:environment} tag in the tagging API of us-east-1. This class holds both
 * lookups, the single-distribution reads the driver needs, and the mapping to an observed resource.
 */
public final class CloudFrontLive {

    static final String PAGE = "100";

    private CloudFrontLive() {}

    /** The distribution fields Terrace reads, from a list summary or a full distribution alike. */
    public record View(String id, String arn, String domainName, String status, String comment, Aliases aliases,
            String priceClass, Boolean enabled, DefaultCacheBehavior defaultBehaviour, CacheBehaviors behaviours,
            Origins origins, String webAclId) {

        public static View of(DistributionSummary s) {
            return new View(s.id(), s.arn(), s.domainName(), s.status(), s.comment(), s.aliases(),
                    s.priceClassAsString(), s.enabled(), s.defaultCacheBehavior(), s.cacheBehaviors(), s.origins(),
                    s.webACLId());
        }

        public static View of(Distribution d) {
            var c = d.distributionConfig();
            return new View(d.id(), d.arn(), d.domainName(), d.status(), c.comment(), c.aliases(),
                    c.priceClassAsString(), c.enabled(), c.defaultCacheBehavior(), c.cacheBehaviors(), c.origins(),
                    c.webACLId());
        }

        List<CacheBehavior> behaviourList() {
            return behaviours == null || !behaviours.hasItems() ? List.of() : behaviours.items();
        }

        Optional<String> originDomain() {
            return origin().map(Origin::domainName);
        }

        /** Terrace's origin, else the first. Its custom headers hold the origin secret: never observed. */
        Optional<Origin> origin() {
            if (origins == null || !origins.hasItems()) {
                return Optional.empty();
            }
            return origins.items().stream().filter(o -> CloudFrontConfig.ORIGIN_ID.equals(o.id())).findFirst()
                    .or(() -> origins.items().stream().findFirst());
        }
    }

    static final List<String> TYPES = List.of("cloudfront:distribution");

    /**
     * The distributions the tagging API in us-east-1 lists with one of the environments'
     * {@code terrace:environment} tag, each read with GetDistribution, by comment; their tags are
     * added to {@code tags}. The calls grow with the environments asked for, not with the account's
     * distributions.
     */
    public static Map<String, List<View>> tagged(AwsClients aws, Collection<String> environments,
            Map<String, Map<String, String>> tags) {
        Map<String, Map<String, String>> byArn = TaggingSweep.ofEnvironments(aws.cloudFrontTagging, TYPES, environments);
        tags.putAll(byArn);
        Map<String, List<View>> out = new HashMap<>();
        byArn.keySet().stream().sorted()
                .flatMap(arn -> distribution(aws.cloudFront, arn.substring(arn.lastIndexOf('/') + 1)).stream())
                .map(View::of)
                .forEach(v -> out.computeIfAbsent(v.comment(), k -> new ArrayList<>()).add(v));
        return out;
    }

    /** Every distribution whose comment is one of {@code comments}, by comment, in one paged sweep. */
    public static Map<String, List<View>> byComment(CloudFrontClient cf, Set<String> comments) {
        return byComment(cf, comments, PAGE);
    }

    public static Map<String, List<View>> byComment(CloudFrontClient cf, Set<String> comments, String pageSize) {
        Map<String, List<View>> out = new HashMap<>();
        String marker = null;
        do {
            String from = marker;
            DistributionList page = cf.listDistributions(r -> r.maxItems(pageSize).marker(from)).distributionList();
            if (page.hasItems()) {
                for (DistributionSummary s : page.items()) {
                    if (comments.contains(s.comment())) {
                        out.computeIfAbsent(s.comment(), k -> new ArrayList<>()).add(View.of(s));
                    }
                }
            }
            marker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextMarker() : null;
        } while (marker != null && !marker.isEmpty());
        return out;
    }

    public static Optional<Distribution> distribution(CloudFrontClient cf, String id) {
        try {
            return Optional.of(cf.getDistribution(r -> r.id(id)).distribution());
        } catch (NoSuchDistributionException e) {
            return Optional.empty();
        }
    }

    public static Map<String, String> listTags(CloudFrontClient cf, String arn) {
        var tags = cf.listTagsForResource(r -> r.resource(arn)).tags();
        return TerraceTags.fromSdk(tags.hasItems() ? tags.items() : List.of(), Tag::key, Tag::value);
    }

    /** Of several distributions with the same comment, the one Terrace owns, else the first. */
    static View pick(String env, List<View> candidates, Map<String, Map<String, String>> tags) {
        return candidates.stream().filter(v -> RdsLive.isTerrace(env, tags.getOrDefault(v.arn(), Map.of())))
                .findFirst().orElse(candidates.get(0));
    }

    /**
     * The web ACL's name from a distribution's {@code WebACLId}: a WAFv2 ARN
     * ({@code arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>}); {@code none} when
     * empty; a WAF Classic id as {@code classic:<id>}.
     */
    static String webAclName(String webAclId) {
        if (webAclId == null || webAclId.isEmpty()) {
            return Cdn.NO_WEB_ACL;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*:global/webacl/([^/]+)/[^/]+$").matcher(webAclId);
        return m.matches() ? m.group(1) : "classic:" + webAclId;
    }

    public static ObservedResource observed(String env, View v, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(Cdn.ALIASES, v.aliases() == null || !v.aliases().hasItems() ? List.of()
                : List.copyOf(new TreeSet<>(v.aliases().items())));
        a.put(Cdn.PRICE_CLASS, v.priceClass());
        if (v.defaultBehaviour() != null && v.defaultBehaviour().defaultTTL() != null) {
            a.put(Cdn.PAGE_TTL, v.defaultBehaviour().defaultTTL().intValue());
        }
        v.behaviourList().stream().filter(b -> CloudFrontConfig.ASSET_TTL_PATH.equals(b.pathPattern()))
                .findFirst().filter(b -> b.defaultTTL() != null)
                .ifPresent(b -> a.put(Cdn.ASSET_TTL, b.defaultTTL().intValue()));
        a.put(Cdn.ENABLED, Boolean.TRUE.equals(v.enabled()));
        a.put("arn", v.arn());
        a.put(Cdn.DOMAIN_NAME, v.domainName());
        a.put("status", v.status());
        v.originDomain().ifPresent(o -> a.put("origin", o));
        // Without the origin secret header the load balancer refuses every request: reported as
        // no origin protocol at all, so the plan updates the distribution to send it.
        v.origin().filter(o -> o.customOriginConfig() != null && o.customHeaders() != null && o.customHeaders().hasItems()
                        && o.customHeaders().items().stream().anyMatch(h -> OriginSecrets.HEADER.equalsIgnoreCase(h.headerName())))
                .ifPresent(o -> a.put(Cdn.ORIGIN_PROTOCOL, o.customOriginConfig().originProtocolPolicyAsString()));
        a.put(Cdn.WEB_ACL, webAclName(v.webAclId()));
        a.put("paths", v.behaviourList().stream().map(CacheBehavior::pathPattern).toList());
        return new ObservedResource(env + "/cdn/distribution", ResourceType.CLOUDFRONT_DISTRIBUTION, v.id(), a, tags);
    }
}
