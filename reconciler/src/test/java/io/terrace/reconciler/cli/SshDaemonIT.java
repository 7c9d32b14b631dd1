package io.terrace.reconciler.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.git.SpecRepo;
import io.terrace.reconciler.git.SshGitServer;
import io.terrace.reconciler.git.SshKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terrace daemon} as an operator starts it on an SSH remote: a child JVM given
 * {@code --ssh-key}, {@code --ssh-known-hosts} and the key's passphrase in the environment,
 * against a real SSH git server on 127.0.0.1. The spec repository holds no environment, so no
 * AWS call is made.
 */
class SshDaemonIT {

    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void followsAnSshRemoteAndLogsARefusedHostKeyInOneLineWithoutSecrets() throws Exception {
        KeyPair deployKey = SshKeys.ed25519();
        Path keyFile = SshKeys.writePrivateKey(deployKey, tmp.resolve("keys/deploy"), Optional.of(PASSPHRASE));
        Path knownHosts = Files.writeString(Files.createDirectories(tmp.resolve("keys")).resolve("known_hosts"), "");
        Path log = tmp.resolve("daemon.log");
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"));
             SshGitServer server = SshGitServer.start(origin.dir(), deployKey.getPublic())) {
            origin.write("README.md", "specs\n");
            origin.commit("init");
            int port = freePort();
            ProcessBuilder daemon = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.terrace.reconciler.cli.TerraceCli", "daemon",
                    "--repo", server.url(), "--ssh-key", keyFile.toString(), "--ssh-known-hosts", knownHosts.toString(),
                    "--listen", "127.0.0.1:" + port, "--data", tmp.resolve("data").toString(),
                    "--poll", "1s", "--drift-interval", "1h", "--endpoint-url", "http://127.0.0.1:1"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            daemon.environment().put("AWS_REGION", "eu-west-1");
            daemon.environment().put("AWS_ACCESS_KEY_ID", "testing");
            daemon.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
            daemon.environment().put("TERRACE_SSH_KEY_PASSPHRASE", PASSPHRASE);
            Process process = daemon.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> alive(process, log)
                        && Files.readString(log).contains("is not in " + knownHosts));
                assertEquals(200, status(port, "/healthz"), "the daemon runs on after a refused fetch");
                assertEquals(503, status(port, "/readyz"));

                SshKeys.writeKnownHosts(knownHosts, server.port(), server.hostKey());
                await().atMost(Duration.ofSeconds(60)).until(() -> alive(process, log) && status(port, "/readyz") == 200);
            } finally {
                process.destroy();
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
            }
            String output = Files.readString(log);
            List<String> refusals = output.lines().filter(l -> l.contains("fetch-failed")).toList();
            assertFalse(refusals.isEmpty(), output);
            assertTrue(refusals.get(0).contains("host key of [127.0.0.1]:" + server.port()), refusals.get(0));
            assertFalse(output.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                    "no stack trace: " + output);
            assertFalse(output.contains(PASSPHRASE) || output.contains("battery"), output);
        }
    }

    private static boolean alive(Process process, Path log) throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("daemon exited: " + Files.readString(log));
        }
        return true;
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
