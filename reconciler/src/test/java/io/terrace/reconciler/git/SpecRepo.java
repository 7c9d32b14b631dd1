package io.terrace.reconciler.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real git repository on disk with a work tree, standing in for the team's spec repository. */
public final class SpecRepo implements AutoCloseable {

    private final Path dir;
    private final Git git;

    private SpecRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static SpecRepo init(Path dir) {
        try {
            Files.createDirectories(dir);
            return new SpecRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public SpecRepo write(String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            git.add().addFilepattern(path).call();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public SpecRepo delete(String path) {
        try {
            git.rm().addFilepattern(path).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commits what was written or deleted and returns the commit id. */
    public String commit(String message) {
        try {
            PersonIdent who = new PersonIdent("Platform Team", "platform@example.com");
            RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
            return c.name();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
