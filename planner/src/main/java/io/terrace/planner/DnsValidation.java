package io.terrace.planner;

import io.terrace.planner.AttributeKeys.Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A DNS record the operator must publish before ACM issues one of the environment's certificates:
 * plans and the environment's status list them, read from the observed certificates that are not
 * issued yet.
 *
 * @param certificate the certificate's address, e.g. {@code acme/cdn/certificate}
 * @param status      the certificate's ACM status, e.g. {@code PENDING_VALIDATION}
 * @param record      {@code name type value}, as a zone file line
 */
public record DnsValidation(String certificate, String status, String record) {

    /** The records still to publish for {@code plan}'s environment, in address order. */
    public static List<DnsValidation> pending(EnvironmentPlan plan) {
        List<DnsValidation> out = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c.type() != ResourceType.ACM_CERTIFICATE || c.action() == Action.DELETE || c.observed().isEmpty()) {
                continue;
            }
            var a = c.observed().get().attributes();
            Object status = a.get(Certificate.STATUS);
            if (status == null || Certificate.ISSUED.equals(status)) {
                continue;
            }
            if (a.get(Certificate.VALIDATION_RECORDS) instanceof List<?> records) {
                records.forEach(r -> out.add(new DnsValidation(c.address(), status.toString(), r.toString())));
            }
        }
        out.sort(java.util.Comparator.comparing(DnsValidation::certificate));
        return List.copyOf(out);
    }
}
