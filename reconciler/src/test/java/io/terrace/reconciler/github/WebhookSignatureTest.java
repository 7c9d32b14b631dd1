package io.terrace.reconciler.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // The example in GitHub's "Validating webhook deliveries" documentation.
    private static final WebhookSignature GITHUB_EXAMPLE = new WebhookSignature("It's a Secret to Everybody");
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String HEADER = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void matchesGitHubsDocumentedExample() {
        assertEquals(HEADER, GITHUB_EXAMPLE.sign(BODY));
        assertTrue(GITHUB_EXAMPLE.verify(BODY, HEADER));
    }

    @Test
    void refusesATamperedBodyAWrongSecretAndAMissingHeader() {
        assertFalse(GITHUB_EXAMPLE.verify("Hello, World?".getBytes(StandardCharsets.UTF_8), HEADER));
        assertFalse(new WebhookSignature("another secret").verify(BODY, HEADER));
        assertFalse(GITHUB_EXAMPLE.verify(BODY, null));
        assertFalse(GITHUB_EXAMPLE.verify(BODY, HEADER.substring("sha256=".length())));
        assertFalse(GITHUB_EXAMPLE.verify(BODY, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d"));
    }
}
