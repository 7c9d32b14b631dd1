package io.terrace.reconciler.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real git repository on disk for tests: write files, commit, branch, as a user would. */
public final class ScratchRepo implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

    private final Path dir;
    private final Git git;

    private ScratchRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    /** A new repository whose first branch is {@code main}, in {@code dir} (created if missing). */
    public static ScratchRepo init(Path dir) {
        try {
            Files.createDirectories(dir);
            return new ScratchRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An existing repository on disk (one another fixture created). */
    public static ScratchRepo open(Path dir) {
        try {
            return new ScratchRepo(dir, Git.open(dir.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code ref} (say {@code refs/pull/7/head}) at a commit, as GitHub does for pull requests. */
    public ScratchRepo setRef(String ref, RevCommit commit) {
        try {
            RefUpdate u = repository().updateRef(ref);
            u.setNewObjectId(commit);
            u.setForceUpdate(true);
            u.update();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Repository repository() {
        return git.getRepository();
    }

    public ScratchRepo write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ScratchRepo delete(String path) {
        try {
            Files.delete(dir.resolve(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ScratchRepo move(String from, String to) {
        try {
            Files.move(dir.resolve(from), dir.resolve(to));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stages every change (deletions included) and commits it. */
    public RevCommit commit(String message) {
        return commit(message, ".");
    }

    /** Stages every change under {@code path} (deletions included) and commits what is staged. */
    public RevCommit commit(String message, String path) {
        try {
            git.add().addFilepattern(path).call();
            git.add().addFilepattern(path).setUpdate(true).call();
            // Unsigned whatever the user's git config says: tests must not need a signing key.
            return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates a branch at HEAD and checks it out. */
    public ScratchRepo branch(String name) {
        try {
            git.checkout().setCreateBranch(true).setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public ScratchRepo checkout(String name) {
        try {
            git.checkout().setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points {@code refs/remotes/origin/<branch>} at a local branch, as a fetch would. */
    public ScratchRepo fakeFetch(String branch) {
        try {
            RefUpdate u = repository().updateRef("refs/remotes/origin/" + branch);
            u.setNewObjectId(repository().resolve("refs/heads/" + branch));
            u.setForceUpdate(true);
            u.update();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ScratchRepo tag(String name) {
        try {
            git.tag().setName(name).setAnnotated(true).setMessage(name).setTagger(AUTHOR).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
