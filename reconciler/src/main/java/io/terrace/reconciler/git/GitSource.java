package io.terrace.reconciler.git;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The daemon's copy of the spec repository: a bare JGit repository under {@code <data>/repo}
 * that tracks one branch of the remote (a local path or a URL). Each {@link #fetch()} is exactly
 * one git fetch, whatever the number of environments; the first one also creates the copy, so a
 * restart reuses what was already fetched.
 *
 * <p>HTTPS remotes that need authentication read a token from {@value #TOKEN_ENV} (user name
 * from {@value #USERNAME_ENV}, default {@code x-access-token} as GitHub expects). Tokens are
 * never logged.
 *
 * <p>SSH remotes ({@code ssh://…}, {@code git@host:org/repo.git}) authenticate with a private key and
 * check the server against a known_hosts file, as {@link SshOptions} says; see {@link SshAccess}.
 */
public final class GitSource implements AutoCloseable {

    public static final String TOKEN_ENV = "TERRACE_GIT_TOKEN";
    public static final String USERNAME_ENV = "TERRACE_GIT_USERNAME";
    private static final int TIMEOUT_SECONDS = 60;

    private final String remote;
    private final String branch;
    private final Path dir;
    private final Optional<CredentialsProvider> credentials;
    private final Optional<SshAccess> ssh;
    private final AtomicLong fetches = new AtomicLong();
    private Repository repository;

    public GitSource(String remote, String branch, Path dir, Optional<CredentialsProvider> credentials) {
        this(remote, branch, dir, credentials, SshOptions.fromEnvironment(Map.of(), userHome()));
    }

    /** A source whose SSH remote, if it is one, is reached as {@code ssh} says. */
    public GitSource(String remote, String branch, Path dir, Optional<CredentialsProvider> credentials, SshOptions ssh) {
        this.remote = remote;
        this.branch = branch;
        this.dir = dir;
        this.credentials = credentials;
        this.ssh = SshAccess.isSsh(remote) ? Optional.of(new SshAccess(remote, ssh)) : Optional.empty();
    }

    /**
     * A source for {@code --repo}: an existing directory is used by its absolute path, anything
     * else is a URL; a token in the environment becomes the HTTPS credentials, and the
     * {@code TERRACE_SSH_*} variables ({@link SshOptions#fromEnvironment}) say how to reach an SSH one.
     */
    public static GitSource of(String repo, String branch, Path dir, Map<String, String> env) {
        Path local = Path.of(repo);
        String remote = !repo.contains("://") && Files.isDirectory(local) ? local.toAbsolutePath().toString() : repo;
        Optional<CredentialsProvider> credentials = Optional.ofNullable(env.get(TOKEN_ENV))
                .filter(t -> !t.isBlank())
                .map(token -> new UsernamePasswordCredentialsProvider(
                        env.getOrDefault(USERNAME_ENV, "x-access-token"), token));
        return new GitSource(remote, branch, dir, credentials, SshOptions.fromEnvironment(env, userHome()));
    }

    /** Whether {@code --repo} names an SSH remote ({@code ssh://…} or scp-like {@code user@host:path}). */
    public static boolean isSsh(String repo) {
        return SshAccess.isSsh(repo);
    }

    public String remote() {
        return remote;
    }

    public String branch() {
        return branch;
    }

    /** The ref the fetched branch is stored under. */
    public String trackingRef() {
        return "refs/remotes/origin/" + branch;
    }

    /** Fetches the branch once and returns the commit it points to. */
    public synchronized ObjectId fetch() throws GitSourceException {
        fetches.incrementAndGet();
        Repository repo = open();
        try (Git git = new Git(repo)) {
            var fetch = git.fetch()
                    .setRemote("origin")
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + trackingRef()))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout(TIMEOUT_SECONDS);
            authenticate(fetch);
            fetch.call();
            ObjectId head = repo.resolve(trackingRef());
            if (head == null) {
                throw new GitSourceException("branch " + branch + " not found in " + redacted());
            }
            return head;
        } catch (GitAPIException | IOException e) {
            throw new GitSourceException("cannot fetch " + branch + " from " + redacted() + ": " + reason(e), e);
        }
    }

    /**
     * Fetches other refs (a pull request's head and base) into the copy, under the same lock and
     * credentials as a poll. Not counted as a poll's fetch.
     */
    public synchronized void fetchRefs(java.util.List<RefSpec> specs) throws GitSourceException {
        Repository repo = open();
        try (Git git = new Git(repo)) {
            var fetch = git.fetch().setRemote("origin").setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout(TIMEOUT_SECONDS);
            authenticate(fetch);
            fetch.call();
        } catch (GitAPIException e) {
            throw new GitSourceException("cannot fetch " + specs + " from " + redacted() + ": " + reason(e), e);
        }
    }

    /** Fetches done so far (one per poll). */
    public long fetchCount() {
        return fetches.get();
    }

    /** The local copy; valid after the first {@link #fetch()}. */
    public synchronized Repository repository() {
        if (repository == null) {
            throw new IllegalStateException("nothing fetched yet");
        }
        return repository;
    }

    /**
     * The paths that differ between two commits (added, modified, deleted); every path of
     * {@code to} when {@code from} is empty.
     */
    public static Set<String> changedPaths(Repository repo, Optional<ObjectId> from, ObjectId to) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader();
             TreeWalk tw = new TreeWalk(reader)) {
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            if (from.isPresent()) {
                tw.addTree(walk.parseCommit(from.get()).getTree());
            } else {
                tw.addTree(new EmptyTreeIterator());
            }
            tw.addTree(walk.parseCommit(to).getTree());
            while (tw.next()) {
                paths.add(tw.getPathString());
            }
        }
        return paths;
    }

    private Repository open() throws GitSourceException {
        if (repository != null) {
            return repository;
        }
        try {
            if (!Files.isDirectory(dir.resolve("objects"))) {
                Files.createDirectories(dir);
                Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(branch).call().close();
            }
            Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            StoredConfig config = repo.getConfig();
            // A restart with another --repo re-points the copy; the next fetch brings the new history.
            if (!remote.equals(config.getString("remote", "origin", "url"))) {
                config.setString("remote", "origin", "url", remote);
                config.setString("remote", "origin", "fetch", "+refs/heads/" + branch + ":" + trackingRef());
                config.save();
            }
            repository = repo;
            return repo;
        } catch (GitAPIException | IOException e) {
            throw new GitSourceException("cannot open the local copy in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** SSH remotes get this source's SSH transport; others the HTTPS credentials, if any. */
    private void authenticate(FetchCommand fetch) {
        if (ssh.isPresent()) {
            ssh.get().beginAttempt();
            fetch.setTransportConfigCallback(ssh.get());
        } else {
            credentials.ifPresent(fetch::setCredentialsProvider);
        }
    }

    /**
     * Why a fetch failed, on one line: the SSH side's own finding (host key, key passphrase) when
     * it has one, JGit's message otherwise.
     */
    private String reason(Exception e) {
        return ssh.flatMap(s -> s.reason(e)).orElseGet(() -> {
            String message = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ").strip();
            // JGit starts with the URL, which the caller's message already shows (redacted).
            String rest = message.startsWith(jgitPrefix()) ? message.substring(jgitPrefix().length()) : message;
            return redact(rest.replace(remote, redacted()));
        });
    }

    private String jgitPrefix() {
        try {
            return new URIish(remote).setPass(null) + ": ";
        } catch (URISyntaxException e) {
            return remote + ": ";
        }
    }

    private static Path userHome() {
        return Path.of(System.getProperty("user.home"));
    }

    /** The remote as messages show it. */
    private String redacted() {
        return redact(remote);
    }

    /**
     * A repository URL (or a message quoting one) as it may be logged or shown: without its user information
     * ({@code https://user:token@host/…} becomes {@code https://host/…}) and with the value of
     * any credential-like query parameter ({@code access_token}, {@code private_token},
     * {@code password}…) replaced by {@code ***}. Every place that prints {@code --repo} uses it.
     */
    public static String redact(String url) {
        String noUser = url.replaceAll("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s@]*@", "$1");
        return SECRET_PARAMETER.matcher(noUser).replaceAll("$1***");
    }

    private static final java.util.regex.Pattern SECRET_PARAMETER = java.util.regex.Pattern.compile(
            "([?&;][^=&#\\s]*(?i:token|password|passwd|secret|key|auth|signature|sig)[^=&#\\s]*=)[^&#;\\s]*");

    @Override
    public synchronized void close() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
        ssh.ifPresent(SshAccess::close);
    }
}
