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
        String written = AlertKey.withAccount(AlertKey.policy(), ACCOUNT);
        assertFalse(written.contains("${"), "a key policy principal cannot be a policy variable: " + written);
        assertTrue(written.contains("arn:aws:iam::123456789012:root"), written);
        // KMS may return the document spelt differently: whitespace, key order, one-element lists.
        String returned = written.replace(",", ", ").replace("\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"}",
                "\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]}");
        assertEquals(AlertKey.policy(), AlertKey.withoutAccount(returned, ACCOUNT));
    }

    @Test
    void aPolicyEditedByHandDiffers() {
        String narrowed = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        assertNotEquals(AlertKey.policy(), AlertKey.withoutAccount(narrowed, ACCOUNT));
        assertEquals("not json", AlertKey.withoutAccount("not json", ACCOUNT));
    }
}
