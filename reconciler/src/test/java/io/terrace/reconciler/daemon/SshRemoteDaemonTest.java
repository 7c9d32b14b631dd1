package io.terrace.reconciler.daemon;

import static io.terrace.reconciler.daemon.TestSpecs.environment;
import static io.terrace.reconciler.daemon.TestSpecs.path;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.PlanOptions;
import io.terrace.reconciler.engine.MutableClock;
import io.terrace.reconciler.git.SnapshotReader;
import io.terrace.reconciler.git.SpecRepo;
import io.terrace.reconciler.git.SshGitServer;
import io.terrace.reconciler.git.SshKeys;
import io.terrace.reconciler.git.SshOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon following a spec repository over SSH (a real server on 127.0.0.1), with the
 * in-memory cloud standing in for AWS: a refused fetch is one line in the poll's result, the
 * daemon keeps polling, and the next poll after the operator fixes known_hosts catches up.
 */
class SshRemoteDaemonTest {

    @TempDir
    Path tmp;

    @Test
    void aRefusedHostKeyIsRetriedAtTheNextPollAndTheDaemonCatchesUp() throws Exception {
        KeyPair deployKey = SshKeys.ed25519();
        Path keyFile = SshKeys.writePrivateKey(deployKey, tmp.resolve("keys/deploy"), Optional.of("s3cret phrase"));
        Path knownHosts = tmp.resolve("keys/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "");
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"));
             SshGitServer server = SshGitServer.start(origin.dir(), deployKey.getPublic())) {
            origin.write(path("acme"), environment("acme", "1.0.0"));
            String commit = origin.commit("acme");
            InMemoryCloud cloud = new InMemoryCloud();
            DaemonConfig config = DaemonConfig.defaults(server.url(), tmp.resolve("data"))
                    .withPoll(Duration.ofHours(1))
                    .withDriftInterval(Duration.ofHours(1))
                    .withListen(new InetSocketAddress("127.0.0.1", 0));
            Map<String, String> env = Map.of(SshOptions.KEY_FILE_ENV, keyFile.toString(),
                    SshOptions.KNOWN_HOSTS_ENV, knownHosts.toString(), SshOptions.PASSPHRASE_ENV, "s3cret phrase");

            try (Daemon daemon = Daemon.start(config, new Daemon.Engine(cloud, cloud,
                    PlanFunction.planner(PlanOptions.DEFAULT), SnapshotReader.SPECS),
                    new MutableClock(Instant.parse("2025-06-01T12:00:00Z")), Optional.empty(), env)) {
                await().until(() -> daemon.polls() >= 1);
                String error = daemon.lastPoll().orElseThrow().error().orElseThrow();
                assertEquals("cannot fetch main from " + server.url().replace("git@", "") + ": host key of [127.0.0.1]:"
                        + server.port() + " (" + fingerprint(server) + ") is not in " + knownHosts
                        + ": refused (add the host's key to that file, e.g. with ssh-keyscan)", error);
                assertTrue(daemon.statuses().all().isEmpty(), "nothing reconciled from a refused fetch");

                SshKeys.writeKnownHosts(knownHosts, server.port(), server.hostKey());
                daemon.pollNow();
                await().until(() -> daemon.polls() >= 2);
                PollResult poll = daemon.lastPoll().orElseThrow();
                assertEquals(Optional.empty(), poll.error());
                assertEquals(Optional.of(commit), poll.commit());
                await().until(() -> daemon.idle() && daemon.statuses().find("acme")
                        .map(s -> s.condition() == Condition.SYNCED).orElse(false));
            }
        }
    }

    private static String fingerprint(SshGitServer server) {
        return org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(server.hostKey());
    }
}
