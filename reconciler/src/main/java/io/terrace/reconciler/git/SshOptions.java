package io.terrace.reconciler.git;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the daemon connects to an SSH remote: which private key it offers, which known_hosts file
 * vouches for the server, and the key's passphrase if it has one.
 *
 * @param sshDirectory the user's {@code ~/.ssh}: its standard keys ({@code id_ed25519},
 *                     {@code id_ecdsa}, {@code id_rsa}, …) are offered when no key file is given
 * @param keyFile      the one private key to offer (OpenSSH or PEM format); empty for the
 *                     standard keys of {@code sshDirectory}
 * @param knownHosts   the only file whose entries are trusted as host keys
 * @param passphrase   the key's passphrase; never shown by {@link #toString()}
 */
public record SshOptions(Path sshDirectory, Optional<Path> keyFile, Path knownHosts, Optional<String> passphrase) {

    public static final String KEY_FILE_ENV = "TERRACE_SSH_KEY_FILE";
    public static final String KNOWN_HOSTS_ENV = "TERRACE_SSH_KNOWN_HOSTS";
    public static final String PASSPHRASE_ENV = "TERRACE_SSH_KEY_PASSPHRASE";

    public SshOptions {
        Objects.requireNonNull(sshDirectory, "sshDirectory");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(passphrase, "passphrase");
    }

    /**
     * The options the environment asks for: {@value #KEY_FILE_ENV}, {@value #KNOWN_HOSTS_ENV}
     * (default {@code ~/.ssh/known_hosts}) and {@value #PASSPHRASE_ENV}; blank values count as
     * unset.
     */
    public static SshOptions fromEnvironment(Map<String, String> env, Path home) {
        Path sshDirectory = home.resolve(".ssh");
        return new SshOptions(sshDirectory,
                value(env, KEY_FILE_ENV).map(Path::of),
                value(env, KNOWN_HOSTS_ENV).map(Path::of).orElse(sshDirectory.resolve("known_hosts")),
                value(env, PASSPHRASE_ENV));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public String toString() {
        return "SshOptions[sshDirectory=" + sshDirectory + ", keyFile=" + keyFile + ", knownHosts=" + knownHosts
                + ", passphrase=" + passphrase.map(p -> "(set)").orElse("(none)") + "]";
    }
}
