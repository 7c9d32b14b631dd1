package io.terrace.reconciler.aws.acm;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.DetailReads;
import io.terrace.reconciler.aws.ServiceObserver;

import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * Observes the certificates of many environments: the load balancers' in the region's ACM, the
 * CDNs' in us-east-1's (one sweep when the region is us-east-1), each the environments'
 * certificates in that region's tagging API (filtered by their tag, twenty environments to a
 * call) and one paged ListCertificates for their status, then DescribeCertificate for the current
 * certificate of each environment's component.
 */
public final class CertificateObserver implements ServiceObserver {

    private final AwsClients aws;
    private final DetailReads details;

    public CertificateObserver(AwsClients aws) {
        this(aws, DetailReads.always());
    }

    /** @param details where descriptions are kept between observes */
    public CertificateObserver(AwsClients aws, DetailReads details) {
        this.aws = aws;
        this.details = details;
    }

    @Override
    public List<ObservedResource> observe(Collection<String> environments) {
        List<ObservedResource> out = new ArrayList<>();
        if (environments.isEmpty()) {
            return out;
        }
        Set<String> envs = Set.copyOf(environments);
        if (aws.acm == aws.cdnAcm) {
            observe(aws.acm, aws.tagging, envs, List.of(Component.NETWORK, Component.CDN), out);
        } else {
            observe(aws.acm, aws.tagging, envs, List.of(Component.NETWORK), out);
            observe(aws.cdnAcm, aws.cloudFrontTagging, envs, List.of(Component.CDN), out);
        }
        return out;
    }

    private void observe(AcmClient acm, ResourceGroupsTaggingApiClient tagging, Set<String> envs, List<Component> components, List<ObservedResource> out) {
        List<AcmCertificates.Tagged> found = AcmCertificates.sweep(acm, tagging, envs);
        for (String env : envs) {
            for (Component c : components) {
                // An issued certificate's names wait with the environment's other details; one still
                // being validated is described at once, for the DNS records it asks for.
                AcmCertificates.current(found, env, c).ifPresent(t -> {
                    if (Certificate.ISSUED.equals(t.status()) && details.waiting(env)) {
                        out.add(AcmCertificates.unread(env, c, t));
                    } else {
                        details.read(env, "acm:" + t.arn(), List.of(t.status(), t.tags()),
                                () -> AcmCertificates.describe(acm, t.arn()).map(d -> AcmCertificates.observed(env, c, d, t.tags())))
                                .ifPresent(out::add);
                    }
                });
            }
        }
    }
}
