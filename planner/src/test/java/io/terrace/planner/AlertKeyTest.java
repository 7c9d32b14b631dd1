package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The alert key's policy as the driver writes it and the observer reads it back. */
class AlertKeyTest {

    private static final String ACCOUNT = "123456789012";

    @Test
    void theWrittenPolicyNamesTheAccountAndReadsBackAsTheDesiredOne() {
        String written = AlertKey.withAccount(AlertKey.policy("acme", "eu-west-1"), ACCOUNT);
        assertFalse(written.contains("${"), "a key policy principal cannot be a policy variable: " + written);
        assertTrue(written.contains("arn:aws:iam::123456789012:root"), written);
        // KMS may return the document spelt differently: whitespace, key order, one-element lists.
        String returned = written.replace(",", ", ").replace("\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"}",
                "\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]}");
        assertEquals(AlertKey.policy("acme", "eu-west-1"), AlertKey.withoutAccount(returned, ACCOUNT));
    }

    @Test
    void aPolicyEditedByHandDiffers() {
        String narrowed = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        assertNotEquals(AlertKey.policy("acme", "eu-west-1"), AlertKey.withoutAccount(narrowed, ACCOUNT));
        assertEquals("not json", AlertKey.withoutAccount("not json", ACCOUNT));
    }

    @Test
    void cloudWatchLogsMayUseTheKeyForTheEnvironmentsGroupsOnly() throws Exception {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(AlertKey.withAccount(AlertKey.policy("acme", "eu-west-1"), ACCOUNT));
        com.fasterxml.jackson.databind.JsonNode logs = null;
        for (var s : doc.get("Statement")) {
            if (s.get("Sid").asText().equals("LogGroupsEncrypt")) {
                logs = s;
            }
        }
        assertTrue(logs != null, doc.toString());
        assertTrue(logs.at("/Principal/Service").toString().contains("\"logs.eu-west-1.amazonaws.com\""), logs.toString());
        var arns = logs.at("/Condition/ArnLike/kms:EncryptionContext:aws:logs:arn");
        // Canonical: sorted.
        assertEquals("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/" + ResourceNames.dbCluster("acme")
                + "/*", arns.get(0).asText());
        assertEquals("arn:aws:logs:eu-west-1:123456789012:log-group:/terrace/acme/*", arns.get(1).asText());
        assertFalse(AlertKey.policy("acme", "eu-west-1").equals(AlertKey.policy("acme-2", "eu-west-1")));
    }
}
