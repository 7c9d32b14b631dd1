package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Action;
import io.terrace.reconciler.engine.ApplyResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon following a bare repository on disk that goes wrong: moved away, force-pushed to an
 * older commit, or with a corrupt pack. Real git, Quartz, H2 and HTTP (the in-memory cloud stands
 * for AWS). In each case the last commit read stays in force, the condition shows on
 * {@code /readyz}, the dashboard and {@code /metrics}, nothing is deleted from a revision that
 * could not be read, and the daemon recovers with the remote.
 */
class GitRemoteFaultIT {

    private static final String IMAGE = "registry.example.com/acme/app:";

    @TempDir
    Path tmp;
    DaemonFixture f;
    Path remote;

    @BeforeEach
    void setUp() throws Exception {
        f = new DaemonFixture(tmp);
        remote = tmp.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void anUnreachableRemoteKeepsTheLastCommitInForceSaysSoAndRecovers() throws Exception {
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        String first = f.origin.commit("alpha");
        push("main");
        f.start(c -> c.withRepo(remote.toString()));
        assertEquals(Condition.SYNCED, f.status("alpha").condition(), f.status("alpha").reason());
        int applies = f.cloud.applies("alpha").size();

        Path away = tmp.resolve("moved-away.git");
        Files.move(remote, away);
        PollResult poll = f.poll();
        f.poll();

        assertTrue(poll.error().orElseThrow().startsWith("cannot fetch main from"), poll.toString());
        assertEquals(first, poll.commit().orElseThrow(), "the last commit read stays the daemon's");
        assertUnreachableShown(first);
        f.cloud.drift("alpha/web/task", "image", "registry.example.com/evil:1");
        f.sweep();
        assertEquals(IMAGE + "1.0.0", image("alpha"), "drift is corrected toward the last commit read");
        assertEquals(applies + 1, f.cloud.applies("alpha").size());
        assertNoDeletes();

        Files.move(away, remote);
        f.origin.write(path("alpha"), environment("alpha", "1.1.0"));
        String next = f.origin.commit("alpha 1.1.0");
        push("main");
        f.poll();

        assertEquals(200, f.get("/readyz").statusCode(), f.get("/readyz").body());
        assertEquals(IMAGE + "1.1.0", image("alpha"));
        assertEquals(next, f.status("alpha").lastAppliedRevision().orElseThrow());
        assertTrue(f.get("/metrics").body().contains("terrace_git_fetch_failing 0.0"));
        assertFalse(f.get("/").body().contains("cannot be fetched"), "the banner is gone");
    }

    @Test
    void aForcePushToAnOlderCommitIsFollowedButAnEnvironmentMissingFromItIsNotDestroyed() throws Exception {
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        String older = f.origin.commit("alpha");
        f.origin.write(path("alpha"), environment("alpha", "1.1.0"));
        f.origin.write(path("bravo"), environment("bravo", "1.0.0"));
        String newer = f.origin.commit("alpha 1.1.0, bravo");
        push("main");
        f.start(c -> c.withRepo(remote.toString()));
        assertEquals(Condition.SYNCED, f.status("bravo").condition(), f.status("bravo").reason());
        int bravoResources = resources("bravo");

        push(older + ":refs/heads/main");
        PollResult poll = f.poll();

        assertEquals(older, poll.commit().orElseThrow(), "the branch is followed where it now points");
        assertEquals(IMAGE + "1.0.0", image("alpha"), "alpha follows the older commit");
        EnvironmentStatus bravo = f.status("bravo");
        assertEquals(Condition.OUT_OF_SYNC, bravo.condition(), bravo.reason());
        assertTrue(bravo.reason().contains("was not decommissioned"), bravo.reason());
        assertEquals(bravoResources, resources("bravo"), "nothing of bravo is deleted");
        assertNoDeletes();
        assertEquals(200, f.get("/readyz").statusCode(), "a force-push is a readable commit, not a fault");

        push("+" + newer + ":refs/heads/main");
        f.poll();
        assertEquals(Condition.SYNCED, f.status("bravo").condition(), f.status("bravo").reason());
        assertEquals(IMAGE + "1.1.0", image("alpha"));
        assertEquals(bravoResources, resources("bravo"));
    }

    @Test
    void aCorruptPackInTheRemoteFailsTheFetchAndNothingIsPlannedFromIt() throws Exception {
        f.origin.write(path("alpha"), environment("alpha", "1.0.0"));
        f.origin.write(path("bravo"), environment("bravo", "1.0.0"));
        String first = f.origin.commit("alpha, bravo");
        push("main");
        f.start(c -> c.withRepo(remote.toString()));
        int applies = f.cloud.applies.size();

        f.origin.write(path("alpha"), environment("alpha", "2.0.0"));
        f.origin.delete(path("bravo"));
        f.origin.commit("alpha 2.0.0, bravo gone");
        push("main");
        try (Git bare = Git.open(remote.toFile())) {
            bare.gc().setAggressive(false).call();
        }
        java.util.Map<Path, byte[]> good = new java.util.HashMap<>();
        for (Path pack : packs()) {
            byte[] bytes = Files.readAllBytes(pack);
            good.put(pack, bytes);
            byte[] bad = bytes.clone();
            for (int i = 12; i < bad.length - 20; i++) {
                bad[i] = (byte) (bad[i] ^ 0x5a);
            }
            pack.toFile().setWritable(true);
            Files.write(pack, bad);
        }

        PollResult poll = f.poll();

        assertTrue(poll.error().isPresent(), poll.toString());
        assertEquals(first, f.daemon.repository().commit().orElseThrow().name(), "the last commit read stays in force");
        assertEquals(applies, f.cloud.applies.size(), "nothing applied from a commit that could not be read");
        assertEquals(IMAGE + "1.0.0", image("alpha"));
        assertEquals(Condition.SYNCED, f.status("bravo").condition(), f.status("bravo").reason());
        assertTrue(f.status("bravo").pending().isEmpty(), "no deletion of bravo is even planned");
        HttpResponse<String> ready = f.get("/readyz");
        assertEquals(503, ready.statusCode());
        assertTrue(f.get("/metrics").body().contains("terrace_git_fetch_failing 1.0"));
        assertNoDeletes();

        for (var pack : good.entrySet()) {
            Files.write(pack.getKey(), pack.getValue());
        }
        f.poll();
        assertEquals(200, f.get("/readyz").statusCode(), f.get("/readyz").body());
        assertEquals(IMAGE + "2.0.0", image("alpha"));
        assertEquals(Condition.OUT_OF_SYNC, f.status("bravo").condition(),
                "a deleted file is planned, and blocked until decommissioned, once the commit is read");
    }

    private void assertUnreachableShown(String first) throws Exception {
        HttpResponse<String> ready = f.get("/readyz");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().startsWith("not ready: spec repository cannot be fetched since "), ready.body());
        assertTrue(ready.body().contains("the last commit read, " + first.substring(0, 12) + ", stays in force"),
                ready.body());
        assertTrue(f.get("/").body().contains("spec repository cannot be fetched since"), "the dashboard's banner");
        String metrics = f.get("/metrics").body();
        assertTrue(metrics.contains("terrace_git_fetch_failing 1.0"), metrics);
        assertTrue(metrics.contains("terrace_git_fetch_failures_total 2.0"), metrics);
        assertEquals(Condition.SYNCED, f.status("alpha").condition(), "the environment's status is not the remote's");
    }

    private void assertNoDeletes() {
        for (ApplyResult apply : f.cloud.applies) {
            assertTrue(apply.steps().stream().noneMatch(s -> s.action() == Action.DELETE), apply.toString());
        }
    }

    private void push(String refSpec) throws Exception {
        String spec = refSpec.contains(":") ? refSpec : "+refs/heads/" + refSpec + ":refs/heads/" + refSpec;
        try (Git work = Git.open(f.origin.dir().toFile())) {
            work.push().setRemote(remote.toUri().toString()).setRefSpecs(new RefSpec(spec)).setForce(true).call();
        }
    }

    /** The remote's pack files: every object after a gc. */
    private List<Path> packs() throws IOException {
        try (Stream<Path> files = Files.list(remote.resolve("objects").resolve("pack"))) {
            List<Path> packs = files.filter(p -> p.toString().endsWith(".pack")).toList();
            assertFalse(packs.isEmpty());
            return packs;
        }
    }

    private String image(String env) {
        return String.valueOf(f.cloud.resources.get(env + "/web/task").attributes().get("image"));
    }

    private int resources(String env) {
        return (int) f.cloud.resources.keySet().stream().filter(a -> a.startsWith(env + "/")).count();
    }
}
