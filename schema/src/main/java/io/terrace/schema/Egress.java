package io.terrace.schema;

import java.util.Locale;

/**
 * How an environment's private subnets reach out: through NAT gateways (the internet and every
 * AWS service) or through VPC endpoints only (the AWS services the containers need, no internet).
 */
public enum Egress {
    NAT, ENDPOINTS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Egress of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
