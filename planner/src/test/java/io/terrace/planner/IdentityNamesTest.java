package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Role and log group names are deterministic, within IAM's 64 characters, and never shared. */
class IdentityNamesTest {

    @Test
    void roleNamesOfTheLongestEnvironmentNameFitIam() {
        String env = "a" + "b".repeat(38) + "c"; // 40 characters, the schema's maximum
        assertTrue(ResourceNames.executionRole(env).length() <= 64, ResourceNames.executionRole(env));
        for (Component c : Component.values()) {
            String name = ResourceNames.taskRole(env, c);
            assertTrue(name.length() <= 64, name);
            assertEquals(name, ResourceNames.taskRole(env, c), "the same name on every run");
        }
    }

    @Test
    void noTwoEnvironmentsShareARoleOrALogGroup() {
        Set<String> seen = new HashSet<>();
        for (String env : new String[] {"acme", "acme-web", "acme-web-task", "acme-execution"}) {
            assertTrue(seen.add(ResourceNames.executionRole(env)), env);
            for (Component c : new Component[] {Component.WEB, Component.SANDBOX, Component.CAVALCADE, Component.TACHYON}) {
                assertTrue(seen.add(ResourceNames.taskRole(env, c)), env + " " + c);
                assertTrue(seen.add(ResourceNames.logGroup(env, c)), env + " " + c);
            }
        }
        assertEquals("/terrace/acme/web", ResourceNames.logGroup("acme", Component.WEB));
    }
}
