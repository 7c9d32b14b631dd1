package io.terrace.reconciler.daemon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.git.RawCommits;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.schema.Diagnostic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What cannot be read stops applies and says so: an entry of the spec repository that is not a
 * small regular file costs only its own environment (and never a PAUSE committed after it), and
 * a head of the branch that cannot be read at all stops every apply, drift correction included,
 * until a readable commit arrives.
 */
class FailClosedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    DaemonFixture f;
    WireMockServer hook;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        if (hook != null) {
            hook.stop();
        }
    }

    @Test
    void hostileEntriesAreInvalidOneByOneTheOthersReconcileAndALaterPauseHolds() throws Exception {
        f = new DaemonFixture(tmp);
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        f.origin.write(path("bravo"), environment("bravo", "1.0.0"));
        f.origin.commit("two environments");
        f.start();

        try (RawCommits raw = RawCommits.open(f.origin.dir())) {
            RevCommit hostile = raw.commit("hostile entries; bravo 1.1.0", List.of(
                    raw.gitlink("environments/sub.yaml"),
                    raw.bigFile("environments/huge.yaml", 60L << 20),
                    raw.symlink("environments/link.yaml", "/etc/passwd"),
                    raw.file("environments/caf\u00e9.yaml".getBytes(StandardCharsets.ISO_8859_1),
                            environment("cafe", "1.0.0")),
                    raw.file(path("bravo"), environment("bravo", "1.1.0"))));
            PollResult poll = f.poll();

            assertTrue(poll.error().isEmpty(), poll.toString());
            assertEquals(Condition.SYNCED, f.status("bravo").condition(), f.status("bravo").reason());
            assertEquals(hostile.name(), f.status("bravo").lastAppliedRevision().orElseThrow());
            assertEquals("registry.example.com/acme/app:1.1.0",
                    f.cloud.resources.get("bravo/web/task").attributes().get("image"));
            Map<String, String> expected = Map.of(
                    "sub", "environments/sub.yaml: is a submodule (gitlink), not a file; spec files must be regular files",
                    "huge", "environments/huge.yaml: file is 62914560 bytes; spec files may be at most 1048576 bytes (1 MiB)",
                    "link", "environments/link.yaml: is a symbolic link; not followed (spec files must be regular files)",
                    "caf\u00e9", "environments/caf\u00e9.yaml: file name is not valid UTF-8; rename the file "
                            + "(environment names are ASCII)");
            expected.forEach((env, diagnostic) -> {
                EnvironmentStatus s = f.status(env);
                assertEquals(Condition.INVALID, s.condition(), env + ": " + s.reason());
                assertEquals(List.of(diagnostic), s.diagnostics().stream().map(Diagnostic::toString).toList());
            });
            JsonNode api = f.json("/api/environments/huge");
            assertEquals("invalid", api.path("status").asText(), api.toString());
            int alphaApplies = f.cloud.applies("alpha").size();
            int bravoApplies = f.cloud.applies("bravo").size();

            raw.commit("incident 7: pause; alpha 2.0.0", List.of(
                    raw.file("PAUSE", "incident 7: hold everything\n"),
                    raw.file(path("alpha"), environment("alpha", "2.0.0"))));
            f.poll();
            f.cloud.drift("bravo/web/task", "image", "registry.example.com/evil:1");
            f.sweep();

            assertEquals(alphaApplies, f.cloud.applies("alpha").size(), "no apply while paused");
            assertEquals(bravoApplies, f.cloud.applies("bravo").size(), "no drift correction while paused");
            assertEquals("registry.example.com/acme/app:1.0.0",
                    f.cloud.resources.get("alpha/web/task").attributes().get("image"));
            assertEquals("registry.example.com/evil:1",
                    f.cloud.resources.get("bravo/web/task").attributes().get("image"));
            assertEquals(Condition.PAUSED, f.status("alpha").condition());
            assertEquals(Condition.PAUSED, f.status("bravo").condition());
            assertTrue(f.status("alpha").reason().contains("incident 7: hold everything"), f.status("alpha").reason());
        }
    }

    @Test
    void anUnreadableHeadStopsEveryApplyUntilAReadableCommitArrives() throws Exception {
        hook = new WireMockServer(wireMockConfig().dynamicPort());
        hook.start();
        hook.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        Set<String> damaged = ConcurrentHashMap.newKeySet();
        f = new DaemonFixture(tmp);
        f.env = Map.of(Notifications.URL_ENV, hook.baseUrl() + "/hook");
        // What a damaged object database makes SpecSnapshot.read throw (SpecSnapshotTest shows it on a real one).
        f.reader = (repo, commit) -> {
            if (damaged.contains(commit.name())) {
                throw new UncheckedIOException("cannot read commit " + commit.name()
                        + ": Missing tree fedcba9876543210fedcba9876543210fedcba98", new IOException("missing"));
            }
            return SnapshotReader.SPECS.read(repo, commit);
        };
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        f.origin.commit("alpha");
        f.start();
        assertEquals(200, f.get("/readyz").statusCode());
        int applies = f.cloud.applies("alpha").size();

        f.origin.write(path("alpha"), environment("alpha", "1.1.0"));
        String head = f.origin.commit("alpha 1.1.0");
        damaged.add(head);
        PollResult poll = f.poll();
        assertEquals(Condition.PAUSED, f.status("alpha").condition(), "every status says so at once");
        f.cloud.drift("alpha/web/task", "image", "registry.example.com/evil:1");
        f.sweep();
        f.daemon.syncNow("alpha");
        f.awaitIdle();
        f.poll();

        assertTrue(poll.error().orElseThrow().contains("Missing tree"), poll.toString());
        assertEquals(applies, f.cloud.applies("alpha").size(), "no apply, drift correction included");
        assertEquals("registry.example.com/evil:1", f.cloud.resources.get("alpha/web/task").attributes().get("image"));
        HttpResponse<String> ready = f.get("/readyz");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().startsWith("not ready: repository head " + head.substring(0, 12) + " cannot be read ("),
                ready.body());
        assertTrue(ready.body().contains("nothing is applied until a readable commit arrives"), ready.body());
        assertEquals(Condition.PAUSED, f.status("alpha").condition());
        assertTrue(f.status("alpha").reason().contains(head.substring(0, 12) + " cannot be read"), f.status("alpha").reason());
        assertTrue(f.get("/").body().contains(head.substring(0, 12) + " cannot be read"), "the dashboard says so");
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_git_head_unreadable 1.0"), metrics);
        assertTrue(metrics.contains("terrace_git_read_failures_total 2.0"), metrics);
        await().atMost(Duration.ofSeconds(10)).until(() -> repositoryMessages().size() >= 1);
        assertEquals(1, repositoryMessages().size(), "told once, not at every poll");
        assertEquals("head-unreadable", repositoryMessages().get(0).path("status").asText());

        f.origin.write(path("alpha"), environment("alpha", "1.2.0"));
        String fixed = f.origin.commit("alpha 1.2.0");
        f.poll();

        assertEquals(200, f.get("/readyz").statusCode());
        assertEquals("registry.example.com/acme/app:1.2.0",
                f.cloud.resources.get("alpha/web/task").attributes().get("image"));
        assertEquals(Condition.SYNCED, f.status("alpha").condition(), f.status("alpha").reason());
        assertEquals(fixed, f.status("alpha").lastAppliedRevision().orElseThrow());
        assertTrue(f.get("/metrics").body().contains("terrace_git_head_unreadable 0.0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> repositoryMessages().size() == 2);
        assertEquals("spec repository: head " + fixed.substring(0, 12) + " read; applies resume",
                repositoryMessages().get(1).path("text").asText());
    }

    @Test
    void anApplyInProgressStopsBeforeItsNextWaveWhenTheHeadBecomesUnreadable() throws Exception {
        Set<String> damaged = ConcurrentHashMap.newKeySet();
        f = new DaemonFixture(tmp);
        f.reader = (repo, commit) -> {
            if (damaged.contains(commit.name())) {
                throw new UncheckedIOException("cannot read commit " + commit.name() + ": Missing tree",
                        new IOException("missing"));
            }
            return SnapshotReader.SPECS.read(repo, commit);
        };
        f.origin.write(path("other"), environment("other", "1.0.0"));
        f.origin.commit("one environment");
        f.start();
        CountDownLatch atSecondWave = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.cloud.beforeWave((env, wave) -> {
            if (env.equals("acme") && wave == 1 && atSecondWave.getCount() > 0) {
                atSecondWave.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        f.origin.write(path("acme"), environment("acme", "1.0.0"));
        f.origin.commit("new environment acme");
        f.daemon.pollNow();
        assertTrue(atSecondWave.await(30, TimeUnit.SECONDS), "acme's apply reached its second wave");
        f.origin.write("README.md", "the next head cannot be read\n");
        damaged.add(f.origin.commit("damaged head"));
        f.daemon.pollNow();
        await().until(() -> f.daemon.repository().unreadable().isPresent());
        release.countDown();
        f.awaitIdle();

        ApplyResult stopped = f.cloud.applies("acme").get(0);
        assertEquals(ApplyResult.Outcome.STOPPED, stopped.outcome());
        assertFalse(f.cloud.resources.containsKey("acme/cluster/cluster"), "no wave after the first");
        assertEquals(Condition.PAUSED, f.status("acme").condition());
        assertTrue(f.status("acme").reason().contains("cannot be read"), f.status("acme").reason());
    }

    @Test
    void credentialsInTheRepositoryUrlAreNeverLoggedNorShown() throws Exception {
        String url = "https://x:secret@127.0.0.1:1/r.git?access_token=tok3n";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            f = new DaemonFixture(tmp);
            f.start(c -> c.withRepo(url));
            f.poll();
            String shown = f.get("/").body() + f.get("/readyz").body() + f.get("/api/environments").body()
                    + f.get("/metrics").body() + f.daemon.lastPoll().orElseThrow();
            String logged = log.toString(StandardCharsets.UTF_8);

            assertTrue(logged.contains("event=start"), logged);
            assertTrue(logged.contains("https://127.0.0.1:1/r.git?access_token=***"), logged);
            assertFalse(logged.contains("secret") || logged.contains("tok3n"), logged);
            assertFalse(shown.contains("secret") || shown.contains("tok3n"), shown);
        } finally {
            System.setErr(err);
        }
    }

    private List<JsonNode> repositoryMessages() {
        return hook.findAll(postRequestedFor(urlEqualTo("/hook"))).stream()
                .map(r -> {
                    try {
                        return JSON.readTree(r.getBodyAsString());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(m -> m.path("status").asText().startsWith("head-"))
                .toList();
    }
}
