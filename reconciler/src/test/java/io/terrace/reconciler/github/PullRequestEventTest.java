package io.terrace.reconciler.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PullRequestEventTest {

    static final String BASE = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    static final String HEAD = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    /** The fields of GitHub's pull_request payload a plan needs, as GitHub sends them. */
    static byte[] delivery(String action) {
        return ("{\"action\":\"" + action + "\",\"number\":42,"
                + "\"pull_request\":{\"number\":42,\"state\":\"open\","
                + "\"head\":{\"ref\":\"resize-acme\",\"sha\":\"" + HEAD + "\",\"repo\":{\"full_name\":\"fork/specs\"}},"
                + "\"base\":{\"ref\":\"main\",\"sha\":\"" + BASE + "\",\"repo\":{\"full_name\":\"acme/specs\"}}},"
                + "\"repository\":{\"full_name\":\"acme/specs\",\"clone_url\":\"https://github.com/acme/specs.git\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"opened", "synchronize", "reopened"})
    void plansOpenedUpdatedAndReopenedPullRequests(String action) {
        PullRequestEvent e = PullRequestEvent.parse("pull_request", delivery(action)).orElseThrow();

        assertEquals(new PullRequestEvent(action, PullRequest.of("acme/specs", 42), "main", BASE, HEAD), e);
        assertEquals("refs/pull/42/head", e.headRef());
    }

    @ParameterizedTest
    @ValueSource(strings = {"closed", "labeled", "edited", "assigned"})
    void ignoresActionsThatChangeNoPlan(String action) {
        assertEquals(Optional.empty(), PullRequestEvent.parse("pull_request", delivery(action)));
    }

    @Test
    void ignoresOtherEvents() {
        assertEquals(Optional.empty(), PullRequestEvent.parse("push", delivery("opened")));
    }

    @Test
    void aDeliveryWithoutTheHeadCommitIsRefused() {
        byte[] body = "{\"action\":\"opened\",\"number\":1,\"pull_request\":{\"base\":{\"ref\":\"main\",\"sha\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\"},\"head\":{}},\"repository\":{\"full_name\":\"a/b\"}}"
                .getBytes(StandardCharsets.UTF_8);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PullRequestEvent.parse("pull_request", body));
        assertTrue(e.getMessage().contains("pull_request.head.sha"), e.getMessage());
    }
}
