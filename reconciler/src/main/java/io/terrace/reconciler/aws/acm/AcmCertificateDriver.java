package io.terrace.reconciler.aws.acm;

import io.terrace.reconciler.aws.AwsClients;
import io.terrace.reconciler.aws.TagSync;
import io.terrace.reconciler.aws.TerraceTags;

import io.terrace.planner.AttributeChange;
import io.terrace.planner.AttributeKeys.Certificate;
import io.terrace.planner.Component;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.engine.DriverContext;
import io.terrace.reconciler.engine.LiveRead;
import io.terrace.reconciler.engine.ResourceDriver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.ResourceInUseException;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.acm.model.Tag;
import software.amazon.awssdk.services.acm.model.ValidationMethod;

/**
 * A public, DNS-validated ACM certificate for an environment's aliases: the CDN's in us-east-1
 * (CloudFront takes certificates from there only), the load balancer's in the environment's
 * region. A create requests it and returns once ACM shows the DNS records that validate it; it
 * does not wait for them to be published: the network stack and the distribution use it once it
 * is issued. New names request a new certificate and mark the old one superseded, so the load
 * balancer and the distribution keep serving with it until they move; they delete it then.
 */
public record AcmCertificateDriver(AwsClients aws) implements ResourceDriver {

    @Override
    public ResourceType type() {
        return ResourceType.ACM_CERTIFICATE;
    }

    @Override
    public LiveRead read(Resource desired, DriverContext context) {
        AcmClient acm = AcmCertificates.client(aws, desired.component());
        String env = desired.environment();
        return AcmCertificates.current(AcmCertificates.sweep(acm, AcmCertificates.tagging(aws, desired.component()),
                        Set.of(env)), env, desired.component())
                .flatMap(t -> AcmCertificates.describe(acm, t.arn())
                        .map(d -> AcmCertificates.observed(env, desired.component(), d, t.tags())))
                .<LiveRead>map(LiveRead.Present::new)
                .orElse(LiveRead.ABSENT);
    }

    @Override
    public ObservedResource create(Resource desired, DriverContext context) {
        AcmClient acm = AcmCertificates.client(aws, desired.component());
        String domain = (String) desired.attributes().get(Certificate.DOMAIN_NAME);
        @SuppressWarnings("unchecked")
        List<String> others = (List<String>) desired.attributes().get(Certificate.ALTERNATIVE_NAMES);
        // The tagging API lists a new certificate some moments after it is made, so a pass soon
        // after a request may not have observed it: a twin requested within the hour is used.
        Optional<String> twin = AcmCertificates.recentTwin(acm, desired.environment(), desired.component(),
                domain, others, Instant.now());
        if (twin.isPresent()) {
            return awaitRecords(acm, context, desired.environment(), desired.component(), twin.get());
        }
        // One token per create: the SDK's retry of a request whose answer was lost gets the
        // certificate the first one made, not a second one.
        String token = java.util.UUID.randomUUID().toString().replace("-", "");
        String arn = acm.requestCertificate(r -> {
            r.domainName(domain).validationMethod(ValidationMethod.DNS).idempotencyToken(token)
                    .tags(TerraceTags.toSdk(desired.tags(), (k, v) -> Tag.builder().key(k).value(v).build()));
            if (!others.isEmpty()) {
                r.subjectAlternativeNames(others);
            }
        }).certificateArn();
        return awaitRecords(acm, context, desired.environment(), desired.component(), arn);
    }

    @Override
    public ObservedResource update(Resource desired, ObservedResource live, List<AttributeChange> changes,
            DriverContext context) {
        AcmClient acm = AcmCertificates.client(aws, desired.component());
        String arn = live.id();
        if (!Objects.equals(desired.attributes().get(Certificate.DOMAIN_NAME), live.attributes().get(Certificate.DOMAIN_NAME))
                || !Objects.equals(desired.attributes().get(Certificate.ALTERNATIVE_NAMES),
                        live.attributes().get(Certificate.ALTERNATIVE_NAMES))) {
            // A certificate's names are fixed: request one for the new names, and keep the old
            // one until what serves with it has moved (AcmCertificates.retireSuperseded).
            acm.addTagsToCertificate(r -> r.certificateArn(arn).tags(Tag.builder().key(AcmCertificates.SUPERSEDED)
                    .value("true").build()));
            return create(desired, context);
        }
        TagSync.between(live.tags(), desired.tags()).send(
                set -> acm.addTagsToCertificate(r -> r.certificateArn(arn)
                        .tags(TerraceTags.toSdk(set, (k, v) -> Tag.builder().key(k).value(v).build()))),
                keys -> acm.removeTagsFromCertificate(r -> r.certificateArn(arn)
                        .tags(keys.stream().map(k -> Tag.builder().key(k).value(live.tags().get(k)).build()).toList())));
        return AcmCertificates.observed(desired.environment(), desired.component(),
                AcmCertificates.describe(acm, arn).orElseThrow(() -> new IllegalStateException(
                        live.address() + ": certificate " + arn + " has disappeared")),
                AcmCertificates.tags(acm, arn));
    }

    /**
     * Deletes the certificate and any it superseded. ACM refuses while a load balancer or a
     * distribution still uses one (CloudFront lets go some minutes after its distribution is
     * deleted): the delete is retried until the wait runs out.
     */
    @Override
    public void delete(ObservedResource live, DriverContext context) {
        Component component = io.terrace.planner.Address.parse(live.address()).component();
        AcmClient acm = AcmCertificates.client(aws, component);
        String env = live.environment();
        List<String> arns = new java.util.ArrayList<>(List.of(live.id()));
        AcmCertificates.sweep(acm, AcmCertificates.tagging(aws, component), Set.of(env)).stream()
                .filter(t -> t.superseded() && t.component().equals(component.id()))
                .forEach(t -> arns.add(t.arn()));
        for (String arn : arns) {
            context.await("certificate " + arn + " deleted", () -> {
                try {
                    acm.deleteCertificate(r -> r.certificateArn(arn));
                    return true;
                } catch (ResourceNotFoundException e) {
                    return true;
                } catch (ResourceInUseException e) {
                    return false;
                }
            });
        }
    }

    /** ACM adds the validation records a few seconds after the request. */
    private static ObservedResource awaitRecords(AcmClient acm, DriverContext context, String env, Component component,
            String arn) {
        CertificateDetail[] last = new CertificateDetail[1];
        context.await("certificate " + arn + " validation records", () -> {
            last[0] = AcmCertificates.describe(acm, arn).orElse(null);
            return last[0] != null && (Certificate.ISSUED.equals(last[0].statusAsString())
                    || !AcmCertificates.validationRecords(last[0]).isEmpty());
        });
        Map<String, String> tags = AcmCertificates.tags(acm, arn);
        return AcmCertificates.observed(env, component, last[0], tags);
    }
}
