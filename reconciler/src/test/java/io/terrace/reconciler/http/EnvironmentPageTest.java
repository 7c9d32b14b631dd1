package io.terrace.reconciler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.daemon.Condition;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import io.terrace.reconciler.daemon.EnvironmentStatus.Pending;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentPageTest {

    private static EnvironmentStatus status(List<Pending> pending) {
        return new EnvironmentStatus("acme", Condition.SYNCED, "applied", "abc1234", Optional.empty(),
                Optional.of("standard"), Optional.of("staging"), Optional.of("correct"), List.of(), pending, List.of(),
                Optional.of("abc1234"), Optional.of("abc1234"), Optional.empty(), Optional.empty(), 0, 1,
                io.terrace.drift.EnvironmentHealth.unknown("not observed yet"));
    }

    @Test
    void dnsRecordsACertificateWaitsForHaveTheirOwnTableAndAreNotCountedAsChanges() {
        EnvironmentStatus s = status(List.of(
                new Pending("acme/network/stack", "update", Optional.empty()),
                new Pending("acme/cdn/certificate", Pending.DNS_VALIDATION,
                        Optional.of("_x.www.acme.example. CNAME _y.acm-validations.aws."))));

        String html = EnvironmentPage.render(s, List.of());

        assertTrue(html.contains("<h2>DNS records to publish</h2>"), html);
        assertTrue(html.contains("<td><code>acme/cdn/certificate</code></td><td><code>_x.www.acme.example. CNAME "
                + "_y.acm-validations.aws.</code></td>"), html);
        int changes = html.indexOf("<h2>Planned, not applied</h2>");
        assertTrue(changes > 0 && !html.substring(changes).contains("dns-validation"), html);
        Map<String, Object> json = StatusJson.summary(s);
        assertEquals(1L, ((Number) json.get("pendingChanges")).longValue());
    }
}
