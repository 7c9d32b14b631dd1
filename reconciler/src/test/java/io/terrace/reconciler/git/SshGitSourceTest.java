package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GitSource} against a real SSH git server on 127.0.0.1: a deploy key, a known_hosts file,
 * and the one line the operator reads when either is wrong.
 */
class SshGitSourceTest {

    @TempDir
    Path tmp;
    SpecRepo origin;
    String first;
    SshGitServer server;
    Path keyFile;
    Path knownHosts;

    @BeforeEach
    void serve() throws Exception {
        origin = SpecRepo.init(tmp.resolve("origin"));
        origin.write("environments/acme.yaml", "name: acme\n");
        first = origin.commit("acme");
        KeyPair deployKey = SshKeys.ed25519();
        server = SshGitServer.start(origin.dir(), deployKey.getPublic());
        keyFile = SshKeys.writePrivateKey(deployKey, tmp.resolve("keys/deploy"), Optional.empty());
        knownHosts = SshKeys.writeKnownHosts(tmp.resolve("keys/known_hosts"), server.port(), server.hostKey());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        origin.close();
    }

    @Test
    void clonesAndFetchesWithADeployKey() throws Exception {
        try (GitSource source = GitSource.of(server.url(), "main", tmp.resolve("copy"), Map.of(
                SshOptions.KEY_FILE_ENV, keyFile.toString(), SshOptions.KNOWN_HOSTS_ENV, knownHosts.toString()))) {
            assertEquals(first, source.fetch().name());
            origin.write("environments/acme.yaml", "name: acme # edited\n");
            String second = origin.commit("edit");
            assertEquals(second, source.fetch().name(), "the new commit is seen after a fetch");
            assertEquals(2, source.fetchCount());
        }
    }

    @Test
    void offersTheStandardKeysOfTheSshDirectoryWhenNoKeyIsGiven() throws Exception {
        Path sshDirectory = tmp.resolve("home/.ssh");
        Files.createDirectories(sshDirectory);
        Files.copy(keyFile, sshDirectory.resolve("id_ed25519"));
        try (GitSource source = source(new SshOptions(sshDirectory, Optional.empty(), knownHosts, Optional.empty()))) {
            assertEquals(first, source.fetch().name());
        }
    }

    @Test
    void acceptsAHashedKnownHostsEntry() throws Exception {
        SshKeys.writeHashedKnownHosts(knownHosts, server.port(), server.hostKey());
        assertFalse(Files.readString(knownHosts).contains("127.0.0.1"), "the host name is hashed");
        try (GitSource source = source(options(keyFile, knownHosts, Optional.empty()))) {
            assertEquals(first, source.fetch().name());
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsOneLine() throws Exception {
        Path stranger = SshKeys.writePrivateKey(SshKeys.ed25519(), tmp.resolve("keys/stranger"), Optional.empty());
        assertEquals("cannot fetch main from " + server.url().replace("git@", "") + ": the server refused ssh key "
                + stranger + " for user git (is it a deploy key of this repository?)",
                refusal(options(stranger, knownHosts, Optional.empty())));
    }

    @Test
    void noKeyAtAllSaysWhereOneIsExpected() {
        Path sshDirectory = tmp.resolve("empty-home/.ssh");
        String message = refusal(new SshOptions(sshDirectory, Optional.empty(), knownHosts, Optional.empty()));
        assertTrue(message.contains(": no ssh key to offer: none of id_rsa, id_dsa, id_ecdsa, id_ed25519 is in "
                + sshDirectory + "; give one with --ssh-key or " + SshOptions.KEY_FILE_ENV), message);
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int port = server.port();
        server.close();
        String url = "ssh://git@127.0.0.1:" + port + "/acme/specs.git";
        try (GitSource source = new GitSource(url, "main", tmp.resolve("unreachable"), Optional.empty(),
                options(keyFile, knownHosts, Optional.empty()))) {
            assertEquals("cannot fetch main from ssh://127.0.0.1:" + port + "/acme/specs.git: cannot reach 127.0.0.1:"
                    + port + ": Connection refused", assertThrows(GitSourceException.class, source::fetch).getMessage());
        }
    }

    @Test
    void anUnknownHostIsRefusedNamingTheHostAndTheFile() throws Exception {
        Files.writeString(knownHosts, "[127.0.0.1]:1 " + PublicKeyEntry.toString(server.hostKey()) + "\n");
        String message = refusal(options(keyFile, knownHosts, Optional.empty()));
        assertEquals("cannot fetch main from " + server.url().replace("git@", "") + ": host key of [127.0.0.1]:"
                + server.port() + " (" + fingerprint() + ") is not in " + knownHosts
                + ": refused (add the host's key to that file, e.g. with ssh-keyscan)", message);
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        SshKeys.writeKnownHosts(knownHosts, server.port(), SshKeys.ed25519().getPublic());
        String message = refusal(options(keyFile, knownHosts, Optional.empty()));
        assertTrue(message.contains("host key of [127.0.0.1]:" + server.port() + " (" + fingerprint()
                + ") does not match the one in " + knownHosts + ": refused"), message);
    }

    @Test
    void aRevokedHostKeyIsRefusedEvenWhenAlsoListed() throws Exception {
        String key = PublicKeyEntry.toString(server.hostKey());
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " " + key + "\n"
                + "@revoked [127.0.0.1]:" + server.port() + " " + key + "\n");
        String message = refusal(options(keyFile, knownHosts, Optional.empty()));
        assertTrue(message.endsWith(": host key of [127.0.0.1]:" + server.port() + " is marked @revoked in "
                + knownHosts + ": refused"), message);
    }

    @Test
    void aMissingKnownHostsFileIsRefused() throws Exception {
        Path missing = tmp.resolve("nowhere/known_hosts");
        String message = refusal(options(keyFile, missing, Optional.empty()));
        assertTrue(message.contains("known_hosts file " + missing + " does not exist"), message);
    }

    @Test
    void aRefusedFetchSucceedsOnceTheHostKeyIsAdded() throws Exception {
        Files.writeString(knownHosts, "");
        try (GitSource source = source(options(keyFile, knownHosts, Optional.empty()))) {
            assertThrows(GitSourceException.class, source::fetch);
            SshKeys.writeKnownHosts(knownHosts, server.port(), server.hostKey());
            assertEquals(first, source.fetch().name(), "the next poll reads the file again");
        }
    }

    @Test
    void aPassphraseFromTheEnvironmentDecryptsTheKey() throws Exception {
        Path encrypted = encryptedKey("correct horse");
        try (GitSource source = source(options(encrypted, knownHosts, Optional.of("correct horse")))) {
            assertEquals(first, source.fetch().name());
        }
    }

    @Test
    void anEncryptedKeyWithoutItsPassphraseIsOneClearLine() throws Exception {
        Path encrypted = encryptedKey("correct horse");
        String message = refusal(options(encrypted, knownHosts, Optional.empty()));
        assertTrue(message.endsWith(": ssh key " + encrypted + " is protected by a passphrase: set "
                + SshOptions.PASSPHRASE_ENV + " or use a key without one (a deploy key)"), message);

        String wrong = refusal(options(encrypted, knownHosts, Optional.of("battery staple")));
        assertTrue(wrong.endsWith(": ssh key " + encrypted + " cannot be decrypted with the passphrase in "
                + SshOptions.PASSPHRASE_ENV), wrong);
        assertFalse(wrong.contains("battery") || wrong.contains("horse"), wrong);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ssh://git@github.com/acme/specs.git,  true,  the ssh scheme",
        "ssh://github.com:2222/acme/specs.git, true,  a port and no user",
        "git@github.com:acme/specs.git,        true,  scp-like, as GitHub shows it",
        "git+ssh://git@host/specs.git,         true,  an old spelling of the scheme",
        "https://github.com/acme/specs.git,    false, HTTPS",
        "file:///srv/specs.git,                false, a file URL",
        "/srv/specs,                           false, a local path",
        "specs,                                false, a relative local path",
    })
    void tellsSshRemotesFromOthers(String repo, boolean ssh, String reason) {
        assertEquals(ssh, GitSource.isSsh(repo), reason);
    }

    private GitSource source(SshOptions ssh) {
        return new GitSource(server.url(), "main", tmp.resolve("copy"), Optional.empty(), ssh);
    }

    private SshOptions options(Path key, Path hosts, Optional<String> passphrase) {
        return new SshOptions(tmp.resolve("home/.ssh"), Optional.of(key), hosts, passphrase);
    }

    /** The message of a fetch that fails, checked to be one line. */
    private String refusal(SshOptions ssh) {
        try (GitSource source = new GitSource(server.url(), "main", tmp.resolve("refused"), Optional.empty(), ssh)) {
            String message = assertThrows(GitSourceException.class, source::fetch).getMessage();
            assertEquals(1, message.lines().count(), message);
            return message;
        }
    }

    private Path encryptedKey(String passphrase) throws Exception {
        KeyPair key = SshKeys.ed25519();
        server.authorize(key.getPublic());
        return SshKeys.writePrivateKey(key, tmp.resolve("keys/encrypted"), Optional.of(passphrase));
    }

    private String fingerprint() {
        return KeyUtils.getFingerPrint(server.hostKey());
    }
}
