package io.terrace.reconciler.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.terrace.planner.ObservedState;
import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.git.GitSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullRequestWebhookTest {

    @TempDir
    Path dir;

    @Test
    void isOnlyWiredWhenAGitHubTokenIsSet() {
        GitSource git = new GitSource(dir.toString(), "main", dir.resolve("copy"), Optional.empty());
        PullRequestCommenter.LiveState none = (specs, envs) -> ObservedState.EMPTY;

        assertTrue(PullRequestWebhook.fromEnvironment(Map.of(), git, none, PlanOptions.DEFAULT).isEmpty());
        assertTrue(PullRequestWebhook.fromEnvironment(Map.of("GITHUB_TOKEN", " "), git, none, PlanOptions.DEFAULT).isEmpty());
        assertTrue(PullRequestWebhook.fromEnvironment(Map.of("GITHUB_TOKEN", "ghs_x"), git, none, PlanOptions.DEFAULT)
                .isPresent());
    }

    @Test
    void queuesPlansForOpenedSynchronizeAndReopenedOnly() throws Exception {
        List<PullRequestEvent> queued = new ArrayList<>();
        List<Runnable> background = new ArrayList<>();
        PullRequestWebhook hook = new PullRequestWebhook(background::add, queued::add);
        ObjectMapper json = new ObjectMapper();

        assertEquals(PullRequestWebhook.Reception.ACCEPTED,
                hook.receive("pull_request", json.readTree(PullRequestEventTest.delivery("synchronize"))));
        assertEquals(PullRequestWebhook.Reception.IGNORED,
                hook.receive("pull_request", json.readTree(PullRequestEventTest.delivery("labeled"))));
        assertEquals(PullRequestWebhook.Reception.MALFORMED,
                hook.receive("pull_request", json.readTree("{\"action\":\"opened\"}")));

        assertEquals(List.of(), queued, "nothing planned on the request thread");
        assertEquals(1, background.size());
        background.get(0).run();
        assertEquals(PullRequestEventTest.HEAD, queued.get(0).headSha());
    }
}
