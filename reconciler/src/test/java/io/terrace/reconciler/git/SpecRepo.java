package io.terrace.reconciler.git;

import java.nio.file.Path;

/**
 * The team's spec repository as the daemon tests drive it: a {@link ScratchRepo} whose commits
 * are known by their id, the form the daemon reports revisions in.
 */
public final class SpecRepo implements AutoCloseable {

    private final ScratchRepo repo;

    private SpecRepo(ScratchRepo repo) {
        this.repo = repo;
    }

    public static SpecRepo init(Path dir) {
        return new SpecRepo(ScratchRepo.init(dir));
    }

    public Path dir() {
        return repo.dir();
    }

    public SpecRepo write(String path, String content) {
        repo.write(path, content);
        return this;
    }

    public SpecRepo delete(String path) {
        repo.delete(path);
        return this;
    }

    /** Commits what was written or deleted and returns the commit id. */
    public String commit(String message) {
        return repo.commit(message).name();
    }

    @Override
    public void close() {
        repo.close();
    }
}
