package io.terrace.planner;

import java.util.Objects;

/**
 * Where a resource sits in Terrace's model, {@code <environment>/<component>/<resource>} (for
 * example {@code acme/web/service}): the key desired and live resources meet on in the diff. This
 * is the one place an address is built or taken apart.
 */
public record Address(String environment, Component component, String resource) {

    public Address {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(resource, "resource");
        if (environment.isEmpty() || environment.contains("/") || resource.isEmpty() || resource.contains("/")) {
            throw new IllegalArgumentException("not an address: " + environment + "/" + component.id() + "/" + resource);
        }
    }

    /** @throws IllegalArgumentException when {@code text} is not three parts with a known component */
    public static Address parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("\"" + text + "\" is not <environment>/<component>/<resource>");
        }
        Component component;
        try {
            component = Component.of(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" names no known component: " + parts[1]);
        }
        return new Address(parts[0], component, parts[2]);
    }

    /** The address text of a resource of {@code environment}. */
    public static String of(String environment, Component component, String resource) {
        return new Address(environment, component, resource).toString();
    }

    /** The environment part of an address text: what every resource's owner check compares. */
    public static String environmentOf(String text) {
        return parse(text).environment();
    }

    @Override
    public String toString() {
        return environment + "/" + component.id() + "/" + resource;
    }
}
