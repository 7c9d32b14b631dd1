package io.terrace.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Policies that mean the same are spelt the same, so a role's policy plans no change when IAM re-spells it. */
class PolicyDocumentTest {

    private static final String WRITTEN = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow",
              "Action": ["s3:PutObject", "s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"]}]}""";

    @Test
    void keyOrderDoesNotMatter() {
        String reordered = """
                {"Statement": [{"Resource": ["arn:aws:s3:::b/*"], "Action": ["s3:PutObject", "s3:GetObject"],
                  "Effect": "Allow", "Sid": "A"}], "Version": "2012-10-17"}""";
        assertEquals(PolicyDocument.canonical(WRITTEN), PolicyDocument.canonical(reordered));
    }

    @Test
    void aSingleStringEqualsAListOfOne() {
        String list = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"*\"}]}";
        String single = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":[\"*\"]}]}";
        assertEquals(PolicyDocument.canonical(list), PolicyDocument.canonical(single));
        assertEquals("{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
                PolicyDocument.canonical(single));
    }

    @Test
    void actionOrderAndRepeatsDoNotMatter() {
        String other = """
                {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}]}""";
        assertEquals(PolicyDocument.canonical(WRITTEN), PolicyDocument.canonical(other));
    }

    @Test
    void statementOrderAndValuesStillCount() {
        String widened = WRITTEN.replace("arn:aws:s3:::b/*", "*");
        assertNotEquals(PolicyDocument.canonical(WRITTEN), PolicyDocument.canonical(widened));
        String two = "{\"Statement\":[{\"Sid\":\"A\"},{\"Sid\":\"B\"}]}";
        String swapped = "{\"Statement\":[{\"Sid\":\"B\"},{\"Sid\":\"A\"}]}";
        assertNotEquals(PolicyDocument.canonical(two), PolicyDocument.canonical(swapped));
    }

    @Test
    void readsTheUrlEncodedDocumentsIamReturns() {
        String encoded = URLEncoder.encode(WRITTEN, StandardCharsets.UTF_8).replace("+", "%20");
        assertEquals(PolicyDocument.canonical(WRITTEN), PolicyDocument.canonical(encoded));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> PolicyDocument.canonical("{not json"));
    }

    @Test
    void taskRolesNameOnlyTheirEnvironmentsBucket() {
        String web = RolePolicies.task("acme", Component.WEB, "eu-west-1");
        assertTrue(web.contains("arn:aws:s3:::terrace-acme-assets/*"), web);
        assertTrue(!web.contains("ssmmessages") && !web.contains("cloudwatch"), web);
        String tachyon = RolePolicies.task("acme", Component.TACHYON, "eu-west-1");
        assertTrue(!tachyon.contains("PutObject") && !tachyon.contains("DeleteObject"), tachyon);
        assertTrue(web.contains("arn:aws:es:eu-west-1:${aws:PrincipalAccount}:domain/terrace-acme/*"), web);
        assertTrue(!tachyon.contains("es:ESHttp"), "tachyon never queries the search domain: " + tachyon);
        assertTrue(RolePolicies.task("acme", Component.SANDBOX, "eu-west-1").contains("ssmmessages:OpenDataChannel"));
        assertTrue(RolePolicies.task("acme", Component.CAVALCADE, "eu-west-1")
                .contains("\"cloudwatch:namespace\":\"" + RolePolicies.CAVALCADE_METRIC_NAMESPACE + "\""));
        assertEquals(RolePolicies.execution("acme", "eu-west-1"),
                PolicyDocument.canonical(RolePolicies.execution("acme", "eu-west-1")), "built canonical");
    }

    @Test
    void taskRolesUseTheEnvironmentsKeyThroughS3Only() {
        String web = RolePolicies.task("acme", Component.WEB, "eu-west-1");
        assertTrue(web.contains("\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"]"), web);
        assertTrue(web.contains("\"kms:ResourceAliases\":\"alias/terrace/acme/alerts\""), web);
        assertTrue(web.contains("\"kms:ViaService\":\"s3.eu-west-1.amazonaws.com\""), web);
        String tachyon = RolePolicies.task("acme", Component.TACHYON, "eu-west-1");
        assertTrue(tachyon.contains("\"Action\":\"kms:Decrypt\"") || tachyon.contains("\"Action\":[\"kms:Decrypt\"]"),
                tachyon);
        assertTrue(!tachyon.contains("GenerateDataKey"), "tachyon only reads: " + tachyon);
    }
}
