package io.terrace.planner;

import java.util.Map;
import java.util.Objects;

/**
 * One live AWS resource as a driver read it, keyed by the same address as its desired
 * {@link Resource}.
 *
 * @param id         the physical identifier (ARN, id or name) the driver acts on
 * @param attributes live values of the managed attributes, named as in {@link Resource}
 * @param tags       live tags; a resource without Terrace's managed-by and environment tags is
 *                   never modified or deleted
 */
public record ObservedResource(
        String address,
        ResourceType type,
        String id,
        Map<String, Object> attributes,
        Map<String, String> tags) {

    public static final String MANAGED_BY = "terrace:managed-by";
    public static final String ENVIRONMENT = "terrace:environment";
    public static final String COMPONENT = "terrace:component";
    public static final String REVISION = "terrace:revision";
    public static final String DECOMMISSION = "terrace:decommission";

    public ObservedResource {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        attributes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
        tags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
    }

    public String environment() {
        return Address.environmentOf(address);
    }

    /**
     * Some of its attributes are not read yet: a daemon that starts with no details kept spreads
     * their first reads over its detail interval, and until then the resource carries what the
     * sweep listed. A plan compares only the attributes it has; any pass that would apply reads
     * them all first.
     */
    public boolean detailsUnread() {
        return Boolean.TRUE.equals(attributes.get(AttributeKeys.Observed.DETAILS_UNREAD));
    }

    /** This resource without {@code keys}, marked {@linkplain #detailsUnread details unread}. */
    public ObservedResource withDetailsUnread(java.util.Collection<String> keys) {
        Map<String, Object> kept = new java.util.TreeMap<>(attributes);
        kept.keySet().removeAll(keys);
        kept.put(AttributeKeys.Observed.DETAILS_UNREAD, true);
        return new ObservedResource(address, type, id, kept, tags);
    }

    /** Carries Terrace's managed-by tag and the environment tag matching its address. */
    public boolean isManagedByTerrace() {
        return "terrace".equals(tags.get(MANAGED_BY)) && environment().equals(tags.get(ENVIRONMENT));
    }
}
