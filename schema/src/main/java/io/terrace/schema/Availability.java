package io.terrace.schema;

/** Whether an environment runs in one availability zone or redundantly across several. */
public enum Availability {
    SINGLE_AZ("single-az"), MULTI_AZ("multi-az");

    private final String id;

    Availability(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean isMultiAz() {
        return this == MULTI_AZ;
    }

    public static Availability of(String id) {
        for (Availability a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown availability " + id);
    }
}
