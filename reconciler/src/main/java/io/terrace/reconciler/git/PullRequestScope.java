package io.terrace.reconciler.git;

import io.terrace.planner.ObservedState;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What a pull request plan looks at: the specs of the head commit, narrowed to the environments
 * whose files the pull request touches, and the same narrowing for live state. The planner plans
 * every environment it is given, so narrowing both inputs is what scopes the plan; an environment
 * whose file the pull request deletes has live resources but no spec, and is planned for
 * deletion (blocked unless it was decommissioned first).
 *
 * <p>The whole head tree is loaded before narrowing, so cross-file rules (unique names, unique
 * CDN aliases) still see every environment.
 *
 * @param diff     which environments the pull request touches
 * @param snapshot the head commit's specs narrowed to those environments: their validation
 *                 results, files and revisions, and the head's PAUSE
 * @param deleted  the merge base's valid specs of the environments whose files the pull request
 *                 deletes: not planned, but they say in which region to look for what is live
 */
public record PullRequestScope(RefDiff diff, SpecSnapshot snapshot, List<SpecResult.Valid> deleted) {

    public PullRequestScope {
        deleted = List.copyOf(deleted);
    }

    /**
     * Scopes a pull request in the git repository whose work tree root is {@code repoDir}.
     *
     * @throws IllegalArgumentException when the directory is not a repository root or a ref does
     *                                  not resolve, with a one-line message
     */
    public static PullRequestScope of(Path repoDir, String baseRef, String headRef) {
        try (Repository repo = open(repoDir)) {
            return of(repo, baseRef, headRef);
        }
    }

    public static PullRequestScope of(Repository repo, String baseRef, String headRef) {
        RefDiff diff = RefDiff.between(repo, baseRef, headRef);
        SpecSnapshot head = SpecSnapshot.read(repo, ObjectId.fromString(diff.head()));
        SortedSet<String> touched = diff.changed();
        SpecSet specs = new SpecSet(
                head.specs().results().stream().filter(r -> touched.contains(r.name())).toList(),
                head.specs().pauseReason());
        Map<String, ObjectId> files = head.files().entrySet().stream()
                .filter(e -> touched.contains(SpecSnapshot.environmentOf(e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<String, String> revisions = head.revisions().entrySet().stream()
                .filter(e -> touched.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new PullRequestScope(diff, new SpecSnapshot(head.commit(), specs, files, revisions),
                deletedSpecs(repo, diff));
    }

    private static List<SpecResult.Valid> deletedSpecs(Repository repo, RefDiff diff) {
        Set<String> deleted = diff.environments().entrySet().stream()
                .filter(e -> e.getValue() == RefDiff.Kind.DELETED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        if (deleted.isEmpty()) {
            return List.of();
        }
        return SpecSnapshot.read(repo, ObjectId.fromString(diff.mergeBase())).specs().results().stream()
                .filter(r -> r instanceof SpecResult.Valid && deleted.contains(r.name()))
                .map(SpecResult.Valid.class::cast)
                .toList();
    }

    /**
     * What to hand an observer: the touched environments' specs, plus the base's specs of deleted
     * ones, so an environment deleted in a region other than the default is still found.
     */
    public SpecSet observationSpecs() {
        List<SpecResult> all = new ArrayList<>(snapshot.specs().results());
        all.addAll(deleted);
        return new SpecSet(all, snapshot.specs().pauseReason());
    }

    /** The touched environments, in name order: what to observe. */
    public SortedSet<String> environments() {
        return diff.changed();
    }

    /** The head commit, shown in the Markdown comment. */
    public String headCommit() {
        return diff.head();
    }

    /** Live state narrowed to the touched environments. */
    public ObservedState restrict(ObservedState observed) {
        return observed.only(environments());
    }

    /** Validation results of the touched environments that failed. */
    public List<SpecResult.Invalid> invalid() {
        return snapshot.specs().results().stream()
                .filter(SpecResult.Invalid.class::isInstance)
                .map(SpecResult.Invalid.class::cast)
                .toList();
    }

    private static Repository open(Path dir) {
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": no such directory");
        }
        Repository repo;
        try {
            repo = new FileRepositoryBuilder().findGitDir(root.toFile()).setMustExist(true).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + ": not inside a git repository; --base/--head compare git refs");
        }
        try {
            if (repo.isBare() || !repo.getWorkTree().toPath().toRealPath().equals(root)) {
                repo.close();
                throw new IllegalArgumentException(dir + ": --base/--head need --repo to be the root of a git "
                        + "repository (environments/ at its top)");
            }
        } catch (IOException e) {
            repo.close();
            throw new IllegalArgumentException(dir + ": cannot open the git repository (" + e.getMessage() + ")");
        }
        return repo;
    }
}
