package io.terrace.reconciler.git;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostDigest;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** SSH key pairs made for a test, and the files a user would write for them. */
public final class SshKeys {

    private SshKeys() {
    }

    /** A new Ed25519 key pair, what {@code ssh-keygen -t ed25519} makes for a deploy key. */
    public static KeyPair ed25519() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key in OpenSSH format, encrypted with {@code passphrase} if one is given. */
    public static Path writePrivateKey(KeyPair key, Path file, Optional<String> passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase.isPresent()) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setCipherMode("CTR");
            encryption.setPassword(passphrase.get());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "deploy@terrace-test", encryption, out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A known_hosts file vouching for {@code hostKey} as the key of 127.0.0.1 on {@code port}. */
    public static Path writeKnownHosts(Path file, int port, PublicKey hostKey) {
        return write(file, "# written by the test\n[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n");
    }

    /** The same with the host name hashed, as {@code ssh-keyscan -H} and Debian's ssh write it. */
    public static Path writeHashedKnownHosts(Path file, int port, PublicKey hostKey) {
        try {
            byte[] salt = new byte[20];
            new SecureRandom().nextBytes(salt);
            byte[] hash = KnownHostHashValue.calculateHashValue("127.0.0.1", port, KnownHostDigest.SHA1, salt);
            String host = KnownHostHashValue.append(new StringBuilder(), KnownHostDigest.SHA1, salt, hash).toString();
            return write(file, host + " " + PublicKeyEntry.toString(hostKey) + "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
