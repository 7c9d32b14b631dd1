package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.acm.AcmCertificateDriver;
import io.terrace.reconciler.aws.cloudfront.CloudFrontConfig;
import io.terrace.reconciler.aws.cloudfront.CloudFrontDriver;
import io.terrace.reconciler.aws.cloudfront.CloudFrontLive;
import io.terrace.reconciler.aws.cloudfront.CloudFrontObserver;
import io.terrace.reconciler.aws.network.NetworkStacks;
import io.terrace.reconciler.aws.network.OriginSecrets;
import io.terrace.reconciler.aws.waf.WafObserver;
import io.terrace.reconciler.aws.waf.WebAclDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.ResourceNames;
import io.terrace.reconciler.engine.ManagedDriver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Tag;

/** The CloudFront driver and observer against moto. */
@NeedsMoto
class CloudFrontDriverIT extends DataDriverFixture {

    private static final String ADDRESS = ENV + "/cdn/distribution";

    private ManagedDriver driver;

    private String secret;

    @BeforeEach
    void buildDriver() {
        driver = new ManagedDriver(new CloudFrontDriver(aws));
        secret = OriginSecrets.ensure(aws.secretsManager, ENV, Map.of());
        context.with(new ManagedDriver(new AcmCertificateDriver(aws)).create(spec.resource("cdn/certificate"), context));
        // A production distribution is associated with its web ACL, applied before it.
        context.with(new ManagedDriver(new WebAclDriver(aws)).create(spec.resource("cdn/web-acl"), context));
    }

    private ObservedState observe() {
        return observe(new CloudFrontObserver(aws));
    }

    private ObservedResource live() {
        return live(observe(), ADDRESS);
    }

    /** A distribution someone else made, with the given comment and tags. */
    private String foreign(String comment, Map<String, String> tags) {
        DistributionConfig config = DistributionConfig.builder().callerReference("other-" + comment + "-" + System.nanoTime())
                .comment(comment).enabled(true)
                .origins(o -> o.quantity(1).items(i -> i.id("web").domainName("origin.example.com")
                        .customOriginConfig(c -> c.httpPort(80).httpsPort(443).originProtocolPolicy("http-only"))))
                .defaultCacheBehavior(d -> d.targetOriginId("web").viewerProtocolPolicy("allow-all")
                        .forwardedValues(f -> f.queryString(false).cookies(c -> c.forward("none")))
                        .minTTL(0L).defaultTTL(60L).maxTTL(60L))
                .build();
        return aws.cloudFront.createDistributionWithTags(r -> r.distributionConfigWithTags(c -> c.distributionConfig(config)
                .tags(t -> t.items(TerraceTags.toSdk(tags, (k, v) -> Tag.builder().key(k).value(v).build())))))
                .distribution().id();
    }

    @Test
    void createdDistributionIsFoundByItsCommentAmongOthers() {
        foreign("marketing site", Map.of("owner", "marketing"));
        foreign("terrace:acme-staging", Map.of());
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);
        foreign("another", Map.of());

        aws.counter().reset();
        ObservedResource observed = live();
        assertEquals(created, observed);
        // Found by its tag; other-env, which has no network stack, is not looked for in the list.
        assertEquals(0L, aws.counter().calls("CloudFront:ListDistributions"), aws.counter().snapshot()::toString);
        assertEquals(List.of("www.acme.example"), observed.attributes().get("aliases"));
        assertEquals("PriceClass_100", observed.attributes().get("priceClass"));
        assertEquals(300, observed.attributes().get("pageTtl"));
        assertEquals(86_400, observed.attributes().get("assetTtl"));
        assertEquals(true, observed.attributes().get("enabled"));
        assertEquals(network.attributes().get("outputs.LoadBalancerDnsName"), observed.attributes().get("origin"));
        assertTrue(observed.isManagedByTerrace());
        assertEquals("cdn", observed.tags().get(ObservedResource.COMPONENT));

        DistributionConfig config = aws.cloudFront.getDistributionConfig(r -> r.id(observed.id())).distributionConfig();
        assertEquals(ResourceNames.cdnComment(ENV), config.comment());
        assertEquals(List.of("/wp-content/uploads/*", "/wp-content/*", "/wp-includes/*"),
                config.cacheBehaviors().items().stream().map(CacheBehavior::pathPattern).toList());
        for (CacheBehavior b : config.cacheBehaviors().items()) {
            assertEquals(CloudFrontConfig.ORIGIN_ID, b.targetOriginId(), b.pathPattern());
            assertEquals(86_400L, b.defaultTTL(), b.pathPattern());
        }
        assertEquals(300L, config.defaultCacheBehavior().defaultTTL());
        assertEquals("redirect-to-https", config.defaultCacheBehavior().viewerProtocolPolicyAsString());
    }

    @Test
    void viewersAreRedirectedToHttpsAndTheAliasesServedWithTheirUsEast1Certificate() {
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);

        DistributionConfig config = aws.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig();
        String certificate = config.viewerCertificate().acmCertificateArn();
        assertTrue(certificate.startsWith("arn:aws:acm:us-east-1:"), certificate);
        assertEquals("sni-only", config.viewerCertificate().sslSupportMethodAsString());
        assertEquals("TLSv1.2_2021", config.viewerCertificate().minimumProtocolVersionAsString());
        var usEast1 = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1);
        try {
            var issued = usEast1.acm.describeCertificate(r -> r.certificateArn(certificate)).certificate();
            assertEquals("www.acme.example", issued.domainName());
        } finally {
            usEast1.close();
        }
        assertEquals(List.of("www.acme.example"), config.aliases().items());
        assertEquals("redirect-to-https", config.defaultCacheBehavior().viewerProtocolPolicyAsString());
        config.cacheBehaviors().items().forEach(b ->
                assertEquals("redirect-to-https", b.viewerProtocolPolicyAsString(), b.pathPattern()));
    }

    @Test
    void theOriginIsReachedOverHttpsOnceTheLoadBalancerHasItsListenerWithTheSecretHeader() {
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);
        var origin = aws.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig().origins().items().get(0);
        assertEquals("http-only", origin.customOriginConfig().originProtocolPolicyAsString(),
                "no HTTPS listener yet: the load balancer serves HTTP to the secret header only");
        assertEquals("http-only", live().attributes().get("originProtocol"));

        context.with(withOutput(network, NetworkStacks.HTTPS_LISTENER_ARN, "arn:aws:elasticloadbalancing:listener/https"));
        driver.update(spec.resource("cdn/distribution"), live(), List.of(), context);

        origin = aws.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig().origins().items().get(0);
        assertEquals("https-only", origin.customOriginConfig().originProtocolPolicyAsString());
        assertEquals(List.of("TLSv1.2"), origin.customOriginConfig().originSslProtocols().itemsAsStrings());
        assertEquals(List.of(OriginSecrets.HEADER + "=" + secret), origin.customHeaders().items().stream()
                .map(h -> h.headerName() + "=" + h.headerValue()).toList());
        assertEquals("https-only", live().attributes().get("originProtocol"));
        assertFalse(live().attributes().toString().contains(secret), "the secret is never observed");
    }

    @Test
    void withoutAnIssuedCertificateTheDistributionHasNoAliasesAndTheDefaultCertificate() {
        context.forget(ENV + "/cdn/certificate");
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);
        DistributionConfig config = aws.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig();
        assertTrue(config.viewerCertificate().cloudFrontDefaultCertificate());
        assertEquals(0, config.aliases().quantity());
        assertEquals(List.of(), live().attributes().get("aliases"), "the plan shows the aliases as still to come");
    }

    private static ObservedResource withOutput(ObservedResource stack, String output, String value) {
        Map<String, Object> a = new java.util.LinkedHashMap<>(stack.attributes());
        a.put(NetworkStacks.output(output), value);
        return new ObservedResource(stack.address(), stack.type(), stack.id(), a, stack.tags());
    }

    /**
     * A new environment (no network stack yet) observed alone does not page through the
     * account's distributions; once its stack exists, a distribution with its comment that the
     * tagging API does not list (someone else's) is found in the list.
     */
    @Test
    void aNewEnvironmentsObserveDoesNotListTheAccountsDistributions() {
        String env = "acme-new";
        foreign(ResourceNames.cdnComment(env), Map.of("owner", "someone-else"));
        aws.counter().reset();
        assertTrue(new CloudFrontObserver(aws).observe(List.of(env)).isEmpty());
        assertEquals(0L, aws.counter().calls("CloudFront:ListDistributions"), aws.counter().snapshot()::toString);
        assertEquals(1L, aws.counter().calls("CloudFormation:DescribeStacks"), aws.counter().snapshot()::toString);

        DataTestNetwork.create(aws, env);
        List<ObservedResource> found = new CloudFrontObserver(aws).observe(List.of(env));
        assertEquals(1, found.size(), found::toString);
        assertFalse(found.get(0).isManagedByTerrace());
        assertEquals(1L, aws.counter().calls("CloudFront:ListDistributions"), aws.counter().snapshot()::toString);
    }

    @Test
    void theSweepPagesThroughEveryDistribution() {
        for (int i = 0; i < 5; i++) {
            foreign("other " + i, Map.of());
        }
        driver.create(spec.resource("cdn/distribution"), context);
        aws.counter().reset();
        var found = CloudFrontLive.byComment(aws.cloudFront, Set.of(ResourceNames.cdnComment(ENV)), "2");
        assertEquals(1, found.get(ResourceNames.cdnComment(ENV)).size());
        assertEquals(3L, aws.counter().snapshot().get("CloudFront:ListDistributions"));
    }

    @Test
    void createIsIdempotentAndDoesNotPageThroughTheAccountsDistributions() {
        foreign("marketing site", Map.of("owner", "marketing"));
        aws.counter().reset();
        ObservedResource first = driver.create(spec.resource("cdn/distribution"), context);
        ObservedResource again = driver.create(spec.resource("cdn/distribution"), context);
        assertEquals(first.id(), again.id());
        assertEquals(1L, aws.counter().snapshot().get("CloudFront:CreateDistributionWithTags"));
        // The read before each create asks the tagging API for the environment's own.
        assertEquals(0L, aws.counter().calls("CloudFront:ListDistributions"), aws.counter().snapshot()::toString);
    }

    @Test
    void updateRewritesTheConfigurationUnderTheETag() {
        driver.create(spec.resource("cdn/distribution"), context);
        spec.pageTtl = 60;
        spec.aliases = List.of("www.acme.example", "acme.example");
        spec.priceClass = "PriceClass_All";
        spec.revision = "rev-2";
        driver.update(spec.resource("cdn/distribution"), live(), List.of(), context);

        ObservedResource after = live();
        assertEquals(60, after.attributes().get("pageTtl"));
        assertEquals(List.of("acme.example", "www.acme.example"), after.attributes().get("aliases"));
        assertEquals("PriceClass_All", after.attributes().get("priceClass"));
        assertEquals(86_400, after.attributes().get("assetTtl"));
        assertEquals("rev-2", after.tags().get(ObservedResource.REVISION));
        assertEquals(1L, aws.counter().snapshot().get("CloudFront:UpdateDistribution"));
    }

    @Test
    void aTagOnlyChangeDoesNotRedeploy() {
        driver.create(spec.resource("cdn/distribution"), context);
        spec.revision = "rev-2";
        driver.update(spec.resource("cdn/distribution"), live(), List.of(), context);
        assertEquals("rev-2", live().tags().get(ObservedResource.REVISION));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("CloudFront:UpdateDistribution", 0L));
    }

    @Test
    void deleteDisablesWaitsAndDeletes() {
        driver.create(spec.resource("cdn/distribution"), context);
        foreign("marketing site", Map.of());
        driver.delete(live(), context);

        assertTrue(observe().resources().isEmpty());
        assertEquals(1L, aws.counter().snapshot().get("CloudFront:UpdateDistribution"));
        assertEquals(1L, aws.counter().snapshot().get("CloudFront:DeleteDistribution"));
        assertEquals(1, aws.cloudFront.listDistributions(r -> { }).distributionList().quantity());
    }

    @Test
    void aDistributionWithTerracesCommentButNotItsTagsIsObservedButNeverTouched() {
        String id = foreign(ResourceNames.cdnComment(ENV), Map.of("owner", "someone-else"));

        ObservedResource other = live();
        assertEquals(id, other.id());
        assertFalse(other.isManagedByTerrace());
        assertEquals(Map.of("owner", "someone-else"), other.tags());
        assertThrows(IllegalStateException.class,
                () -> driver.update(spec.resource("cdn/distribution"), other, List.of(), context));
        assertThrows(IllegalStateException.class, () -> driver.delete(other, context));
        assertEquals(0L, aws.counter().snapshot().getOrDefault("CloudFront:UpdateDistribution", 0L));

        // A distribution has no name to collide on: the create makes Terrace's own beside it, and
        // the observe prefers Terrace's of the two with the comment.
        ObservedResource ours = driver.create(spec.resource("cdn/distribution"), context);
        assertNotEquals(id, ours.id());
        assertEquals(ours.id(), live().id());
        assertEquals(60L, aws.cloudFront.getDistributionConfig(r -> r.id(id)).distributionConfig()
                .defaultCacheBehavior().defaultTTL(), "the other distribution is as its owner left it");
        assertEquals(0L, aws.counter().snapshot().getOrDefault("CloudFront:UpdateDistribution", 0L));
    }

    private static final String ACL_ADDRESS = ENV + "/cdn/web-acl";
    private static final List<String> RULES = List.of("rate-limit", "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesPHPRuleSet",
            "AWSManagedRulesWordPressRuleSet");

    /** WAFv2 of scope CLOUDFRONT, read with a separate us-east-1 client. */
    private static software.amazon.awssdk.services.wafv2.model.WebACL webAcl(AwsClients check) {
        var summary = check.waf.listWebACLs(r -> r.scope("CLOUDFRONT")).webACLs().stream()
                .filter(w -> w.name().equals(ResourceNames.webAcl(ENV))).findFirst().orElseThrow();
        return check.waf.getWebACL(r -> r.scope("CLOUDFRONT").name(summary.name()).id(summary.id())).webACL();
    }

    @Test
    void aProductionDistributionIsBehindItsWebAclOfManagedRuleGroupsAndARateLimit() {
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);
        try (AwsClients check = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1)) {
            var acl = webAcl(check);
            assertTrue(acl.arn().startsWith("arn:aws:wafv2:us-east-1:"), acl.arn());
            assertTrue(acl.arn().contains(":global/webacl/"), "scope CLOUDFRONT: " + acl.arn());
            assertEquals(RULES, acl.rules().stream().sorted(java.util.Comparator.comparing(r -> r.priority()))
                    .map(r -> r.name()).toList());
            var rate = acl.rules().stream().filter(r -> r.name().equals("rate-limit")).findFirst().orElseThrow();
            assertEquals(2000L, rate.statement().rateBasedStatement().limit());
            assertEquals("IP", rate.statement().rateBasedStatement().aggregateKeyTypeAsString());
            var core = acl.rules().stream().filter(r -> r.name().equals("AWSManagedRulesCommonRuleSet")).findFirst()
                    .orElseThrow().statement().managedRuleGroupStatement();
            assertEquals("AWS", core.vendorName());
            assertEquals("SizeRestrictions_BODY", core.ruleActionOverrides().get(0).name(),
                    "WordPress posts bodies over 8 KB: the core set's body size rule only counts");
            assertTrue(acl.defaultAction().allow() != null);
            assertTrue(check.waf.listTagsForResource(r -> r.resourceARN(acl.arn())).tagInfoForResource().tagList()
                    .stream().anyMatch(t -> t.key().equals("terrace:environment") && t.value().equals(ENV)));

            DistributionConfig config = check.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig();
            assertEquals(acl.arn(), config.webACLId());
        }
        assertEquals(ResourceNames.webAcl(ENV), live().attributes().get("webAcl"));
        ObservedResource acl = live(observe(new WafObserver(aws)), ACL_ADDRESS);
        assertEquals(RULES, acl.attributes().get("rules"));
        assertEquals(2000, acl.attributes().get("rateLimit"));
        assertTrue(acl.isManagedByTerrace());
        assertEquals(List.of(), io.terrace.planner.ResourceDiff.of(spec.resource("cdn/web-acl"), acl).attributes(),
                "the observed ACL is the desired one");
    }

    @Test
    void aWebAclChangedOrDetachedOutOfBandIsPutBack() {
        ObservedResource created = driver.create(spec.resource("cdn/distribution"), context);
        try (AwsClients check = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1)) {
            var acl = webAcl(check);
            var token = check.waf.getWebACL(r -> r.scope("CLOUDFRONT").name(acl.name()).id(acl.id())).lockToken();
            check.waf.updateWebACL(r -> r.scope("CLOUDFRONT").name(acl.name()).id(acl.id()).lockToken(token)
                    .defaultAction(acl.defaultAction()).visibilityConfig(acl.visibilityConfig())
                    .rules(acl.rules().stream().filter(x -> !x.name().equals("AWSManagedRulesSQLiRuleSet")).toList()));
            var current = check.cloudFront.getDistributionConfig(r -> r.id(created.id()));
            check.cloudFront.updateDistribution(r -> r.id(created.id()).ifMatch(current.eTag())
                    .distributionConfig(current.distributionConfig().toBuilder().webACLId("").build()));
        }
        ObservedResource acl = live(observe(new WafObserver(aws)), ACL_ADDRESS);
        assertFalse(((List<?>) acl.attributes().get("rules")).contains("AWSManagedRulesSQLiRuleSet"));
        assertEquals("none", live().attributes().get("webAcl"));

        ObservedResource restored = new ManagedDriver(new WebAclDriver(aws)).update(spec.resource("cdn/web-acl"), acl,
                io.terrace.planner.ResourceDiff.of(spec.resource("cdn/web-acl"), acl).attributes(), context);
        context.with(restored);
        driver.update(spec.resource("cdn/distribution"), live(), List.of(), context);

        assertEquals(RULES, live(observe(new WafObserver(aws)), ACL_ADDRESS).attributes().get("rules"));
        assertEquals(ResourceNames.webAcl(ENV), live().attributes().get("webAcl"));
        try (AwsClients check = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1)) {
            assertEquals(webAcl(check).arn(),
                    check.cloudFront.getDistributionConfig(r -> r.id(created.id())).distributionConfig().webACLId());
        }
    }

    @Test
    void theWebAclIsDeletedAfterTheDistribution() {
        driver.create(spec.resource("cdn/distribution"), context);
        driver.delete(live(), context);
        new ManagedDriver(new WebAclDriver(aws)).delete(live(observe(new WafObserver(aws)), ACL_ADDRESS), context);

        assertTrue(observe(new WafObserver(aws)).resources().isEmpty());
        try (AwsClients check = Moto.clients(software.amazon.awssdk.regions.Region.US_EAST_1)) {
            assertEquals(List.of(), check.waf.listWebACLs(r -> r.scope("CLOUDFRONT")).webACLs());
        }
    }
}
