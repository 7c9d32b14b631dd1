package io.terrace.reconciler.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads what the pages show of the daemon's clone: a commit's message and author (kept, since a
 * commit never changes), and a spec file at a commit.
 */
final class Commits {

    /** A commit as the history shows it. */
    record Commit(String shortHash, String message, String author) {}

    private static final int MAX_SPEC_BYTES = 1 << 20;

    private final Supplier<Repository> repository;
    private final Map<String, Commit> known = new ConcurrentHashMap<>();

    Commits(Supplier<Repository> repository) {
        this.repository = repository;
    }

    Commit commit(String revision) {
        Commit c = known.get(revision);
        if (c != null) {
            return c;
        }
        Optional<Commit> read = read(revision);
        read.ifPresent(r -> known.put(revision, r));
        return read.orElseGet(() -> new Commit(DashboardPage.shortRev(revision), "", ""));
    }

    private Optional<Commit> read(String revision) {
        if (!ObjectId.isId(revision)) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repository.get())) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(revision));
            return Optional.of(new Commit(revision.substring(0, 7), c.getShortMessage(),
                    c.getAuthorIdent().getName()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file at {@code path} in {@code commit}; empty when it is not there, or too large to show. */
    Optional<String> file(ObjectId commit, String path) {
        Repository repo = repository.get();
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(commit);
            try (TreeWalk tree = TreeWalk.forPath(repo, path, c.getTree())) {
                if (tree == null) {
                    return Optional.empty();
                }
                ObjectLoader blob = repo.open(tree.getObjectId(0));
                if (blob.getSize() > MAX_SPEC_BYTES) {
                    return Optional.empty();
                }
                return Optional.of(new String(blob.getBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
