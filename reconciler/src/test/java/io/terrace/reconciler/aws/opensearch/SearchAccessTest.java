package io.terrace.reconciler.aws.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourcePolicy;

/** How the access policy, the published groups and the delivery policy are read back. */
class SearchAccessTest {

    private static final String DOMAIN = "arn:aws:es:eu-west-1:123456789012:domain/terrace-acme";

    @Test
    void theRolesOfTerracesOwnPolicyAreReadBackByName() {
        String policy = SearchAccess.accessPolicy(DOMAIN, List.of("terrace-acme-web-task", "terrace-acme-cavalcade-task"));
        assertEquals(List.of("terrace-acme-cavalcade-task", "terrace-acme-web-task"),
                SearchAccess.observedRoles(DOMAIN, policy));
    }

    @Test
    void aPolicyWidenedByHandIsReadBackAsItselfSoThePlanShowsIt() {
        String open = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"es:*\",\"Resource\":\"" + DOMAIN + "/*\"}]}";
        Object seen = SearchAccess.observedRoles(DOMAIN, open);
        assertTrue(seen instanceof String s && s.contains("\"AWS\":\"*\""), String.valueOf(seen));
        String extraStatement = SearchAccess.accessPolicy(DOMAIN, List.of("terrace-acme-web-task"))
                .replace("\"Version\"", "\"Id\":\"edited\",\"Version\"");
        assertTrue(SearchAccess.observedRoles(DOMAIN, extraStatement) instanceof String, "any edit is a change");
        assertEquals(List.of(), SearchAccess.observedRoles(DOMAIN, ""), "no policy at all: no roles");
    }

    @Test
    void groupNamesComeOutOfTheirArnsWithOrWithoutTheTrailingStar() {
        assertEquals("/terrace/acme/search/audit",
                SearchAccess.groupName("arn:aws:logs:eu-west-1:123456789012:log-group:/terrace/acme/search/audit"));
        assertEquals("/terrace/acme/search/audit",
                SearchAccess.groupName("arn:aws:logs:eu-west-1:123456789012:log-group:/terrace/acme/search/audit:*"));
    }

    @Test
    void theDeliveryPolicyIsSeenOnlyWhenItIsExactlyTerraces() {
        String name = "terrace-opensearch-logs";
        String ours = SearchAccess.deliveryPolicy("eu-west-1", "123456789012");
        assertEquals(java.util.Optional.of(name), SearchAccess.deliveryPolicyIn(
                List.of(ResourcePolicy.builder().policyName(name).policyDocument(ours).build()),
                name, "eu-west-1", "123456789012"));
        String widened = ours.replace("log-group:/terrace/*", "log-group:*");
        assertTrue(SearchAccess.deliveryPolicyIn(List.of(ResourcePolicy.builder().policyName(name)
                .policyDocument(widened).build()), name, "eu-west-1", "123456789012").isEmpty());
        assertTrue(SearchAccess.deliveryPolicyIn(List.of(), name, "eu-west-1", "123456789012").isEmpty());
    }

    @Test
    void aTypeNoLongerWantedIsSwitchedOff() {
        var sent = SearchAccess.publishing("eu-west-1", "123456789012",
                Map.of("AUDIT_LOGS", "/terrace/acme/search/audit"), Map.of("INDEX_SLOW_LOGS", "/elsewhere"));
        assertEquals(true, sent.get("AUDIT_LOGS").enabled());
        assertEquals("arn:aws:logs:eu-west-1:123456789012:log-group:/terrace/acme/search/audit",
                sent.get("AUDIT_LOGS").cloudWatchLogsLogGroupArn());
        assertEquals(false, sent.get("INDEX_SLOW_LOGS").enabled());
    }
}
