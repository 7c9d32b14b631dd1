package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The desired side of the attribute-key contract: every resource the desired state compiles sets
 * exactly the keys {@link AttributeKeys#managed} lists for its type (the observers' side is held
 * to the same list in the reconciler's {@code AttributeKeysIT}).
 */
class AttributeKeysTest {

    @Test
    void theDesiredStateSetsExactlyTheManagedKeysOfEachType() {
        EnumSet<ResourceType> seen = EnumSet.noneOf(ResourceType.class);
        for (Resource r : DesiredState.compile(SpecFixture.highlyAvailable("acme").build(), "rev1")) {
            Set<String> required = new java.util.TreeSet<>(AttributeKeys.managed(r.type()));
            required.removeAll(AttributeKeys.optional(r.type()));
            assertEquals(true, r.attributes().keySet().containsAll(required), r.address() + ": " + r.attributes().keySet());
            assertEquals(true, AttributeKeys.managed(r.type()).containsAll(r.attributes().keySet()), r.address());
            seen.add(r.type());
        }
        assertEquals(EnumSet.allOf(ResourceType.class), seen, "an environment with every part has every type");
    }

    @Test
    void replacementsAreTriggeredOnlyByManagedKeys() {
        for (ResourceType type : ResourceType.values()) {
            Set<String> managed = AttributeKeys.managed(type);
            assertEquals(true, managed.containsAll(type.replaceOn()), type.id());
        }
    }
}
