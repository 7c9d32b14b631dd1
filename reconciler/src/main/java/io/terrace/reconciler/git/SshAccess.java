package io.terrace.reconciler.git;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The SSH transport of one {@link GitSource}: JGit's Apache MINA client, set on each fetch's
 * transport (not installed as JGit's global default), offering one key and trusting one
 * known_hosts file. It also remembers why the last attempt was refused (an unknown host key, a
 * key it could not decrypt), which says more than JGit's own message.
 *
 * <p>{@code ~/.ssh/config} and the ssh agent are not used: the daemon's flags and environment are
 * its whole SSH configuration. Only public-key authentication is tried, so an HTTPS token in the
 * environment is never sent to an SSH server as a password.
 */
final class SshAccess implements TransportConfigCallback, AutoCloseable {

    private static final Set<String> SSH_SCHEMES = Set.of("ssh", "ssh+git", "git+ssh");
    /** The files in {@code ~/.ssh} JGit offers when no key is given, as OpenSSH does. */
    private static final List<String> STANDARD_KEYS = List.of(org.eclipse.jgit.transport.SshConstants.DEFAULT_IDENTITIES);

    private final SshOptions options;
    private final String user;
    private final String hostPort;
    private final SshdSessionFactory sessions;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    SshAccess(String remote, SshOptions options) {
        this.options = options;
        URIish uri = uri(remote);
        this.user = uri.getUser() != null ? uri.getUser() : System.getProperty("user.name");
        this.hostPort = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 22);
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(options.sshDirectory().toAbsolutePath().getParent().toFile())
                .setSshDirectory(options.sshDirectory().toFile())
                .setConfigStoreFactory((home, configFile, localUser) -> null)
                .setPreferredAuthentications("publickey")
                .setServerKeyDatabase((home, sshDirectory) -> new KnownHostsFile(options.knownHosts(), refusal::set))
                .setKeyPasswordProvider(credentials -> new Passphrase());
        options.keyFile().ifPresent(key -> builder.setDefaultIdentities(sshDirectory -> List.of(key)));
        this.sessions = builder.build(null);
    }

    /** Whether {@code remote} is reached over SSH: {@code ssh://…} or scp-like {@code user@host:path}. */
    static boolean isSsh(String remote) {
        try {
            URIish uri = new URIish(remote);
            return uri.getScheme() == null ? uri.getHost() != null && !Files.isDirectory(Path.of(remote))
                    : SSH_SCHEMES.contains(uri.getScheme());
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void configure(Transport transport) {
        if (transport instanceof SshTransport ssh) {
            ssh.setSshSessionFactory(sessions);
        }
    }

    /** Forgets the previous attempt's refusal; call before each fetch. */
    void beginAttempt() {
        refusal.set(null);
    }

    /**
     * Why the last attempt failed, when the SSH side can say it better than JGit's message: the
     * host key or passphrase finding of the attempt, or which keys the server turned down.
     */
    Optional<String> reason(Throwable failure) {
        if (refusal.get() != null) {
            return Optional.of(refusal.get());
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SshException e
                    && e.getDisconnectCode() == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                return Optional.of(rejectedKeys());
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException || t instanceof NoRouteToHostException) {
                return Optional.of("cannot reach " + hostPort + ": "
                        + (t.getMessage() != null ? t.getMessage() : "unknown host"));
            }
        }
        return Optional.empty();
    }

    private String rejectedKeys() {
        if (options.keyFile().isPresent()) {
            Path key = options.keyFile().get();
            return Files.isReadable(key)
                    ? "the server refused ssh key " + key + " for user " + user + " (is it a deploy key of this repository?)"
                    : "ssh key " + key + " cannot be read";
        }
        List<String> found = STANDARD_KEYS.stream().filter(k -> Files.exists(options.sshDirectory().resolve(k))).toList();
        return found.isEmpty()
                ? "no ssh key to offer: none of " + String.join(", ", STANDARD_KEYS) + " is in " + options.sshDirectory()
                        + "; give one with --ssh-key or " + SshOptions.KEY_FILE_ENV
                : "the server refused the ssh keys " + String.join(", ", found) + " of " + options.sshDirectory()
                        + " for user " + user + " (give the deploy key with --ssh-key or " + SshOptions.KEY_FILE_ENV + ")";
    }

    private static URIish uri(String remote) {
        try {
            return new URIish(remote);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a git URL: " + remote, e);
        }
    }

    @Override
    public void close() {
        sessions.close();
    }

    /**
     * Answers for an encrypted key with {@value SshOptions#PASSPHRASE_ENV}, once: there is no one
     * to ask again, and a wrong passphrase will not become right.
     */
    private final class Passphrase implements KeyPasswordProvider {

        @Override
        public char[] getPassphrase(URIish key, int attempt) throws IOException {
            if (options.passphrase().isEmpty()) {
                refusal.set("ssh key " + key.getPath() + " is protected by a passphrase: set "
                        + SshOptions.PASSPHRASE_ENV + " or use a key without one (a deploy key)");
                return null;
            }
            return attempt == 0 ? options.passphrase().get().toCharArray() : null;
        }

        @Override
        public void setAttempts(int attempts) {
            // One attempt, whatever JGit offers.
        }

        @Override
        public int getAttempts() {
            return 1;
        }

        @Override
        public boolean keyLoaded(URIish key, int attempt, Exception error) {
            if (error != null && options.passphrase().isPresent()) {
                refusal.set("ssh key " + key.getPath() + " cannot be decrypted with the passphrase in "
                        + SshOptions.PASSPHRASE_ENV);
            }
            return false;
        }
    }
}
