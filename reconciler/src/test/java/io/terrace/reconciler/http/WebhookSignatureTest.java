package io.terrace.reconciler.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The example in GitHub's "Validating webhook deliveries" documentation. */
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String GITHUB_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void signsLikeGitHub() {
        assertEquals(GITHUB_SIGNATURE, new WebhookSignature(SECRET).sign(PAYLOAD));
    }

    @Test
    void acceptsGitHubsSignature() {
        assertTrue(new WebhookSignature(SECRET).verify(PAYLOAD, GITHUB_SIGNATURE));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18 | last digit wrong",
        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17  | wrong algorithm prefix",
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17       | no prefix",
        "sha256=757107ea                                                        | truncated",
        "sha256=not-hex                                                         | not hex",
        "''                                                                     | empty",
    })
    void rejects(String header, String why) {
        assertFalse(new WebhookSignature(SECRET).verify(PAYLOAD, header), why);
    }

    @Test
    void rejectsAMissingHeaderAndAnotherSecret() {
        assertFalse(new WebhookSignature(SECRET).verify(PAYLOAD, null));
        assertFalse(new WebhookSignature("another secret").verify(PAYLOAD, GITHUB_SIGNATURE));
    }
}
