package io.terrace.reconciler.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Address;
import io.terrace.planner.Component;
import io.terrace.planner.DesiredState;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import io.terrace.reconciler.aws.acm.AcmCertificateDriver;
import io.terrace.reconciler.aws.acm.CertificateObserver;
import io.terrace.reconciler.aws.kms.KmsKeyDriver;
import io.terrace.reconciler.engine.LiveRead;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.acm.AcmClient;

/**
 * A new environment's ACM and KMS calls do not grow with the other environments of the region:
 * the calls of reading, creating and observing one environment's alert key and certificates are
 * counted with no other keys and certificates in the region, then with twenty other environments'
 * (tagged by Terrace, the key described as Terrace describes its keys) and twenty of other owners.
 */
@NeedsMoto
class RegionScanCallsIT {

    private static final int OTHERS = 20;

    private AwsClients aws;

    @AfterEach
    void tearDown() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void aNewEnvironmentCostsTheSameCallsWhateverTheOtherKeysAndCertificatesOfTheRegion() {
        Map<String, Long> alone = newEnvironmentCalls(0);
        Map<String, Long> among = newEnvironmentCalls(OTHERS);
        System.out.printf("terrace: new environment's ACM and KMS calls alone %s, among %d others %s%n",
                alone, OTHERS, among);
        assertTrue(alone.getOrDefault("Kms:CreateKey", 0L) == 1L, "a key made: " + alone);
        assertTrue(alone.getOrDefault("Acm:RequestCertificate", 0L) >= 1L, "certificates requested: " + alone);
        assertEquals(alone, among, "calls with " + OTHERS + " other environments' keys and certificates");
    }

    /**
     * On AWS the tagging API lists a new certificate some moments after its request, so a pass soon
     * after may not observe it: its create must use that certificate, not request a second one.
     */
    @Test
    void aCertificateRequestedWithinTheHourIsUsedNotRequestedAgain() {
        Moto.reset();
        aws = Moto.clients();
        String env = "fresh-staging";
        Resource certificate = DesiredState.compile(TestSpecs.standard(env), "rev1").stream()
                .filter(r -> r.type() == ResourceType.ACM_CERTIFICATE).findFirst().orElseThrow();
        DriverContextForTests context = new DriverContextForTests(aws);
        AcmCertificateDriver acm = new AcmCertificateDriver(aws);

        ObservedResource first = acm.create(certificate, context);
        ObservedResource again = acm.create(certificate, context);

        assertEquals(first.id(), again.id(), "the second create uses the certificate of the first");
        AcmClient client = certificate.component() == Component.CDN ? aws.cdnAcm : aws.acm;
        long requested = client.listCertificates(r -> r.maxItems(1000)).certificateSummaryList().stream()
                .filter(s -> s.domainName().equals(first.attributes().get(
                        io.terrace.planner.AttributeKeys.Certificate.DOMAIN_NAME)))
                .count();
        assertEquals(1, requested, "certificates for " + certificate.address() + " in ACM");
    }

    private Map<String, Long> newEnvironmentCalls(int others) {
        Moto.reset();
        if (aws != null) {
            aws.close();
        }
        aws = Moto.clients();
        for (int i = 0; i < others; i++) {
            seed(String.format("other%02d-staging", i));
        }
        String env = "fresh-staging";
        List<Resource> desired = DesiredState.compile(TestSpecs.standard(env), "rev1");
        Resource key = desired.stream().filter(r -> r.type() == ResourceType.KMS_KEY).findFirst().orElseThrow();
        List<Resource> certificates = desired.stream().filter(r -> r.type() == ResourceType.ACM_CERTIFICATE).toList();
        assertTrue(!certificates.isEmpty(), "the spec has certificates");
        DriverContextForTests context = new DriverContextForTests(aws);
        KmsKeyDriver keys = new KmsKeyDriver(aws);
        AcmCertificateDriver acm = new AcmCertificateDriver(aws);

        aws.counter().reset();
        // A fresh observe of the new environment, then its apply: read (nothing there), create.
        assertTrue(new CertificateObserver(aws).observe(List.of(env)).isEmpty());
        assertEquals(LiveRead.ABSENT, keys.read(key, context));
        keys.create(key, context);
        for (Resource c : certificates) {
            assertEquals(LiveRead.ABSENT, acm.read(c, context));
            acm.create(c, context);
        }
        // And the next pass's observe and reads find them.
        List<ObservedResource> observed = new CertificateObserver(aws).observe(List.of(env));
        assertEquals(certificates.size(), observed.size(), "the environment's certificates observed");
        assertTrue(keys.read(key, context) instanceof LiveRead.Present);
        for (Resource c : certificates) {
            assertTrue(acm.read(c, context) instanceof LiveRead.Present, c.address());
        }
        Map<String, Long> calls = new TreeMap<>(aws.counter().snapshot());
        calls.keySet().removeIf(call -> !(call.startsWith("Kms:") || call.startsWith("Acm:")
                || call.startsWith("ResourceGroupsTaggingApi:")));
        return calls;
    }

    /** Another environment's alert key and certificates, and a key and certificate of another owner. */
    private void seed(String env) {
        Map<String, String> tags = Map.of(ObservedResource.MANAGED_BY, "terrace", ObservedResource.ENVIRONMENT, env);
        String address = Address.of(env, Component.MONITORING, "alerts-key");
        aws.kms.createKey(r -> r.description("Terrace " + address).tags(tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(e.getKey())
                        .tagValue(e.getValue()).build()).toList()));
        aws.kms.createKey(r -> r.description("billing " + env));
        for (AcmClient client : List.of(aws.acm, aws.cdnAcm)) {
            client.requestCertificate(r -> r.domainName("www." + env + ".example").validationMethod("DNS")
                    .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.acm.model.Tag.builder()
                            .key(e.getKey()).value(e.getValue()).build()).toList()));
            client.requestCertificate(r -> r.domainName("shop." + env + ".example").validationMethod("DNS"));
        }
    }
}
