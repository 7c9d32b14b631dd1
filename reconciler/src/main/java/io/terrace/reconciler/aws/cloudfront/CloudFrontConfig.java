package io.terrace.reconciler.aws.cloudfront;

import io.terrace.reconciler.aws.network.OriginSecrets;

import io.terrace.planner.AttributeKeys.Cdn;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.model.AllowedMethods;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.ForwardedValues;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.SslProtocol;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The distribution configuration Terrace wants for an environment: one origin, the load balancer,
 * reached over HTTPS (TLS 1.2) once its HTTPS listener exists and carrying the origin secret in
 * {@link OriginSecrets#HEADER}; viewers redirected to HTTPS; pages through the default behaviour
 * with the spec's page TTL (cookies that mark a logged-in or commenting visitor and the Host header
 * reach WordPress); uploads ({@code /wp-content/uploads/*}, which the load balancer's listener
 * routes to tachyon, query string included for its resizing arguments) and static assets
 * ({@code /wp-content/*}, {@code /wp-includes/*}) cached for the spec's asset TTL. The aliases and
 * their certificate come together, once ACM has issued it: CloudFront refuses an alias without a
 * certificate that covers it. In production the environment's WAFv2 web ACL is associated
 * through {@code WebACLId} (its ARN).
 */
public final class CloudFrontConfig {

    public static final String ORIGIN_ID = "load-balancer";
    static final String UPLOADS_PATH = "/wp-content/uploads/*";
    static final List<String> ASSET_PATHS = List.of("/wp-content/*", "/wp-includes/*");
    /** The behaviour whose TTL is reported as {@code assetTtl}. */
    static final String ASSET_TTL_PATH = ASSET_PATHS.get(0);
    static final List<String> PAGE_COOKIES = List.of("comment_*", "wordpress_*", "wp-postpass_*", "wp-settings-*");
    static final String HTTPS_ONLY = "https-only";
    static final String HTTP_ONLY = "http-only";

    /**
     * How the distribution serves, from the live state of what it depends on.
     *
     * @param originDomain  the load balancer's DNS name
     * @param httpsOrigin   the load balancer has its HTTPS listener
     * @param originSecret  the value of {@link OriginSecrets#HEADER}
     * @param certificateArn the issued us-east-1 certificate of the aliases, if any
     */
    record Serving(String originDomain, boolean httpsOrigin, String originSecret, Optional<String> certificateArn,
            String webAclArn) {
        Serving(String originDomain, boolean httpsOrigin, String originSecret, Optional<String> certificateArn) {
            this(originDomain, httpsOrigin, originSecret, certificateArn, "");
        }

        @Override
        public String toString() {
            return "Serving[" + originDomain + ", https " + httpsOrigin + ", certificate " + certificateArn
                    + ", web ACL " + webAclArn + "]";
        }
    }

    private CloudFrontConfig() {}

    public static String comment(String env) {
        return ResourceNames.cdnComment(env);
    }

    /** @param callerReference the live distribution's on update, a new unique one on create */
    static DistributionConfig build(Resource desired, String callerReference, Serving serving) {
        var a = desired.attributes();
        @SuppressWarnings("unchecked")
        List<String> wanted = (List<String>) a.get(Cdn.ALIASES);
        List<String> aliases = serving.certificateArn().isPresent() ? wanted : List.of();
        long pageTtl = ((Number) a.get(Cdn.PAGE_TTL)).longValue();
        long assetTtl = ((Number) a.get(Cdn.ASSET_TTL)).longValue();
        List<CacheBehavior> behaviours = new ArrayList<>();
        // CloudFront matches behaviours in order: uploads before the wider /wp-content/*.
        behaviours.add(cached(UPLOADS_PATH, assetTtl));
        ASSET_PATHS.forEach(p -> behaviours.add(cached(p, assetTtl)));
        boolean https = serving.httpsOrigin() && HTTPS_ONLY.equals(a.get(Cdn.ORIGIN_PROTOCOL));
        return DistributionConfig.builder()
                .callerReference(callerReference)
                .comment(comment(desired.environment()))
                .enabled((Boolean) a.get(Cdn.ENABLED))
                .aliases(x -> x.quantity(aliases.size()).items(aliases))
                .priceClass((String) a.get(Cdn.PRICE_CLASS))
                .origins(o -> o.quantity(1).items(origin(serving.originDomain(), https, serving.originSecret())))
                .defaultCacheBehavior(d -> d.targetOriginId(ORIGIN_ID)
                        .viewerProtocolPolicy("redirect-to-https")
                        .allowedMethods(methods(List.of(Method.GET, Method.HEAD, Method.OPTIONS, Method.PUT,
                                Method.POST, Method.PATCH, Method.DELETE)))
                        .compress(true)
                        .forwardedValues(f -> f.queryString(true)
                                .cookies(c -> c.forward("whitelist")
                                        .whitelistedNames(n -> n.quantity(PAGE_COOKIES.size()).items(PAGE_COOKIES)))
                                .headers(h -> h.quantity(1).items("Host")))
                        .minTTL(0L).defaultTTL(pageTtl).maxTTL(pageTtl))
                .cacheBehaviors(c -> c.quantity(behaviours.size()).items(behaviours))
                .viewerCertificate(serving.certificateArn().map(CloudFrontConfig::acmCertificate)
                        .orElseGet(CloudFrontConfig::defaultCertificate))
                .restrictions(r -> r.geoRestriction(g -> g.restrictionType("none").quantity(0)))
                .httpVersion("http2and3")
                .isIPV6Enabled(true)
                .defaultRootObject("")
                .webACLId(serving.webAclArn())
                .build();
    }

    static ViewerCertificate defaultCertificate() {
        return ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build();
    }

    static ViewerCertificate acmCertificate(String arn) {
        return ViewerCertificate.builder().acmCertificateArn(arn).sslSupportMethod("sni-only")
                .minimumProtocolVersion("TLSv1.2_2021").build();
    }

    private static Origin origin(String domain, boolean https, String secret) {
        return Origin.builder().id(ORIGIN_ID).domainName(domain)
                .customHeaders(h -> h.quantity(1).items(i -> i.headerName(OriginSecrets.HEADER).headerValue(secret)))
                .customOriginConfig(c -> c.httpPort(80).httpsPort(443).originProtocolPolicy(https ? HTTPS_ONLY : HTTP_ONLY)
                        .originSslProtocols(s -> s.quantity(1).items(SslProtocol.TLS_V1_2))
                        .originReadTimeout(30).originKeepaliveTimeout(5))
                .build();
    }

    private static CacheBehavior cached(String path, long ttl) {
        return CacheBehavior.builder().pathPattern(path).targetOriginId(ORIGIN_ID)
                .viewerProtocolPolicy("redirect-to-https")
                .allowedMethods(methods(List.of(Method.GET, Method.HEAD)))
                .compress(true)
                .forwardedValues(ForwardedValues.builder().queryString(true)
                        .cookies(c -> c.forward("none")).headers(h -> h.quantity(0)).build())
                .minTTL(0L).defaultTTL(ttl).maxTTL(ttl)
                .build();
    }

    private static AllowedMethods methods(List<Method> allowed) {
        return AllowedMethods.builder().quantity(allowed.size()).items(allowed)
                .cachedMethods(c -> c.quantity(2).items(Method.GET, Method.HEAD)).build();
    }
}
