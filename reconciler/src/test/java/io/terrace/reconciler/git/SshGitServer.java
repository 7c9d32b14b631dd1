package io.terrace.reconciler.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH git server on 127.0.0.1 and a free port: Apache MINA sshd with public-key
 * authentication for user {@code git}, serving {@code git-upload-pack} for one repository on disk
 * through JGit's {@link UploadPack}, as a git host serves a clone or a fetch.
 */
public final class SshGitServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final Set<PublicKey> authorized = new CopyOnWriteArraySet<>();
    private final ExecutorService packs = Executors.newCachedThreadPool();

    private SshGitServer(Path repository, PublicKey authorizedKey) throws IOException {
        this.hostKey = SshKeys.ed25519();
        this.authorized.add(authorizedKey);
        this.server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) ->
                "git".equals(user) && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory(new UploadPackCommands(repository));
        server.start();
    }

    /** Serves {@code repository} (its {@code .git} or a bare one) to the holder of {@code authorizedKey}. */
    public static SshGitServer start(Path repository, PublicKey authorizedKey) throws IOException {
        return new SshGitServer(repository, authorizedKey);
    }

    /** Lets the holder of one more key in. */
    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    public int port() {
        return server.getPort();
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** The URL a user would give: any path names the one repository served. */
    public String url() {
        return "ssh://git@127.0.0.1:" + port() + "/acme/specs.git";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        packs.shutdownNow();
    }

    /** {@code git-upload-pack '<path>'} runs JGit's upload-pack on the repository; nothing else runs. */
    private final class UploadPackCommands implements CommandFactory {
        private final Path repository;

        UploadPackCommands(Path repository) {
            this.repository = repository;
        }

        @Override
        public Command createCommand(ChannelSession channel, String command) {
            List<String> words = CommandFactory.split(command);
            if (words.isEmpty() || !words.get(0).equals("git-upload-pack")) {
                throw new IllegalArgumentException("only git-upload-pack is served, not " + command);
            }
            return new UploadPackCommand(repository);
        }
    }

    private final class UploadPackCommand implements Command {
        private final Path repository;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Path repository) {
            this.repository = repository;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            packs.submit(() -> {
                try (Repository repo = new FileRepositoryBuilder().findGitDir(repository.toFile()).setMustExist(true).build()) {
                    new UploadPack(repo).upload(in, out, err);
                    out.flush();
                    exit.onExit(0);
                } catch (Exception e) {
                    exit.onExit(1, String.valueOf(e.getMessage()));
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
