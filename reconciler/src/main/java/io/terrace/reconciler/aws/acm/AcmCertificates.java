package io.terrace.reconciler.aws.acm;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TaggingSweep;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateSummary;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ListCertificatesResponse;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.acm.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * Terrace's ACM certificates, which have no name: an environment's are found by their tags
 * ({@code terrace:environment}, {@code terrace:component} {@code network} or {@code cdn}) in the
 * region's tagging API, their status from one paged ListCertificates ({@link #sweep}), then
 * DescribeCertificate for the matching ones (status, names, validation records). A certificate
 * replaced by one for new names is tagged {@link #SUPERSEDED} and no longer observed; the one
 * using it deletes it once it has moved to the new one ({@link #retireSuperseded}).
 */
public final class AcmCertificates {

    /** Set on a certificate a newer one for other names replaces: deleted once nothing uses it. */
    static final String SUPERSEDED = "terrace:superseded";

    private AcmCertificates() {}

    /** A Terrace certificate as the sweep found it. */
    record Tagged(String arn, String environment, String component, Map<String, String> tags, Instant createdAt,
                  String status) {
        boolean superseded() {
            return tags.containsKey(SUPERSEDED);
        }
    }

    /** The ACM client a component's certificate lives in: us-east-1 for the CDN, the region otherwise. */
    static AcmClient client(AwsClients aws, Component component) {
        return component == Component.CDN ? aws.cdnAcm : aws.acm;
    }

    /** The tagging API of the region {@code component}'s certificates live in. */
    static ResourceGroupsTaggingApiClient tagging(AwsClients aws, Component component) {
        return component == Component.CDN ? aws.cloudFrontTagging : aws.tagging;
    }

    /**
     * Every certificate of the region tagged for one of {@code environments}: their ARNs and tags
     * from the tagging API (GetResources filtered by type {@code acm:certificate} and the
     * environments' tag, twenty to a filter), so a certificate of another environment is never
     * read; then, when there are any, their status and creation time from paged ListCertificates
     * (up to 1,000 a page). A certificate the tagging API still lists after its deletion is not
     * listed by ACM and is left out.
     *
     * @param tagging the tagging API of {@code acm}'s region ({@link #tagging})
     */
    static List<Tagged> sweep(AcmClient acm, ResourceGroupsTaggingApiClient tagging, Set<String> environments) {
        Map<String, Map<String, String>> tagged = new HashMap<>();
        TaggingSweep.ofEnvironments(tagging, List.of("acm:certificate"), environments).forEach((arn, tags) -> {
            if ("terrace".equals(tags.get(ObservedResource.MANAGED_BY))
                    && environments.contains(tags.get(ObservedResource.ENVIRONMENT))) {
                tagged.put(arn, tags);
            }
        });
        List<Tagged> out = new ArrayList<>();
        if (tagged.isEmpty()) {
            return out;
        }
        String token = null;
        do {
            String from = token;
            ListCertificatesResponse page = acm.listCertificates(r -> r.nextToken(from).maxItems(1000));
            for (CertificateSummary s : page.certificateSummaryList()) {
                Map<String, String> tags = tagged.get(s.certificateArn());
                if (tags != null) {
                    out.add(new Tagged(s.certificateArn(), tags.get(ObservedResource.ENVIRONMENT),
                            tags.getOrDefault(ObservedResource.COMPONENT, ""), tags,
                            Optional.ofNullable(s.createdAt()).orElse(Instant.EPOCH), s.statusAsString()));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** How long after its request a certificate may still be missing from the tagging API's answers. */
    static final java.time.Duration TAGGING_LAG = java.time.Duration.ofHours(1);

    /**
     * A certificate of this environment's component for exactly these names, requested within
     * {@link #TAGGING_LAG} of {@code now} and not superseded, that the tagging API may not list
     * yet: found by domain name and creation time in paged ListCertificates, then confirmed by
     * DescribeCertificate (its names) and ListTagsForCertificate (its tags). Only certificates
     * for the same domain requested within the hour are read, so the cost does not grow with the
     * region's other certificates.
     */
    static Optional<String> recentTwin(AcmClient acm, String env, Component component, String domain,
            List<String> others, Instant now) {
        Set<String> names = new TreeSet<>(others);
        names.add(domain);
        Instant since = now.minus(TAGGING_LAG);
        String token = null;
        do {
            String from = token;
            ListCertificatesResponse page = acm.listCertificates(r -> r.nextToken(from).maxItems(1000));
            for (CertificateSummary s : page.certificateSummaryList()) {
                if (!domain.equals(s.domainName()) || s.createdAt() == null || s.createdAt().isBefore(since)) {
                    continue;
                }
                boolean sameNames = describe(acm, s.certificateArn())
                        .map(d -> names.equals(new TreeSet<>(d.subjectAlternativeNames())))
                        .orElse(false);
                Map<String, String> tags = sameNames ? tags(acm, s.certificateArn()) : Map.of();
                if ("terrace".equals(tags.get(ObservedResource.MANAGED_BY))
                        && env.equals(tags.get(ObservedResource.ENVIRONMENT))
                        && component.id().equals(tags.get(ObservedResource.COMPONENT))
                        && !tags.containsKey(SUPERSEDED)) {
                    return Optional.of(s.certificateArn());
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return Optional.empty();
    }

    /** The current certificate of one environment's component: the newest not superseded. */
    static Optional<Tagged> current(List<Tagged> found, String env, Component component) {
        return found.stream()
                .filter(t -> t.environment().equals(env) && t.component().equals(component.id()) && !t.superseded())
                .max(Comparator.comparing(Tagged::createdAt));
    }

    static Map<String, String> tags(AcmClient acm, String arn) {
        try {
            return TerraceTags.fromSdk(acm.listTagsForCertificate(r -> r.certificateArn(arn)).tags(), Tag::key, Tag::value);
        } catch (ResourceNotFoundException e) {
            return Map.of();
        }
    }

    public static Optional<CertificateDetail> describe(AcmClient acm, String arn) {
        try {
            return Optional.of(acm.describeCertificate(r -> r.certificateArn(arn)).certificate());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    static ObservedResource observed(String env, Component component, CertificateDetail d, Map<String, String> tags) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(Certificate.DOMAIN_NAME, d.domainName());
        Set<String> others = new TreeSet<>(d.subjectAlternativeNames());
        others.remove(d.domainName());
        a.put(Certificate.ALTERNATIVE_NAMES, List.copyOf(others));
        a.put(Certificate.ARN, d.certificateArn());
        a.put(Certificate.STATUS, d.statusAsString());
        a.put(Certificate.VALIDATION_RECORDS, validationRecords(d));
        return new ObservedResource(Address.of(env, component, "certificate"), ResourceType.ACM_CERTIFICATE,
                d.certificateArn(), a, new TreeMap<>(tags));
    }

    /**
     * A certificate whose names wait for their first read
     * ({@link io.terrace.reconciler.aws.DetailReads#waiting}): its ARN, status and tags as the
     * listing and the tagging sweep gave them.
     */
    static ObservedResource unread(String env, Component component, Tagged t) {
        return new ObservedResource(Address.of(env, component, "certificate"), ResourceType.ACM_CERTIFICATE, t.arn(),
                Map.of(Certificate.ARN, t.arn(), Certificate.STATUS, t.status()), new TreeMap<>(t.tags()))
                .withDetailsUnread(List.of());
    }

    /** {@code name type value} per DNS record ACM asks for, once each (names may share one). */
    static List<String> validationRecords(CertificateDetail d) {
        Set<String> out = new LinkedHashSet<>();
        for (DomainValidation v : d.domainValidationOptions()) {
            if (v.resourceRecord() != null) {
                out.add(v.resourceRecord().name() + " " + v.resourceRecord().typeAsString() + " "
                        + v.resourceRecord().value());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Deletes the superseded certificates of an environment's component that nothing uses any
     * more: called by the network stack and the distribution once they use the current one.
     */
    public static void retireSuperseded(AwsClients aws, String env, Component component) {
        AcmClient acm = client(aws, component);
        for (Tagged t : sweep(acm, tagging(aws, component), Set.of(env))) {
            if (t.superseded() && t.component().equals(component.id())
                    && describe(acm, t.arn()).map(d -> d.inUseBy().isEmpty()).orElse(false)) {
                try {
                    acm.deleteCertificate(r -> r.certificateArn(t.arn()));
                } catch (ResourceNotFoundException e) {
                    // already gone
                }
            }
        }
    }
}
