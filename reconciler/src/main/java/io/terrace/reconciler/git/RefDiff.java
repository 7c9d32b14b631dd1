package io.terrace.reconciler.git;

import io.terrace.schema.SpecRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The environments a pull request touches: the spec files that differ between a base ref and a
 * head ref. Like GitHub's "files changed", the head is compared with the merge base of the two,
 * so commits that reached the base after the branch was cut do not show up as the branch undoing
 * them. A rename is the old environment deleted and the new one added.
 *
 * @param base         the base ref resolved to a commit
 * @param mergeBase    the commit the head was compared with (the base itself when the histories
 *                     share no commit)
 * @param head         the head ref resolved to a commit
 * @param environments every touched environment and how, in name order
 */
public record RefDiff(String base, String mergeBase, String head, SortedMap<String, Kind> environments) {

    /** How a pull request touches an environment's file. */
    public enum Kind {
        ADDED, MODIFIED, DELETED;

        /** Two touches of one name (a.yaml renamed to a.yml, say) are a modification. */
        Kind and(Kind other) {
            return this == other ? this : MODIFIED;
        }
    }

    public RefDiff {
        environments = Collections.unmodifiableSortedMap(new TreeMap<>(environments));
    }

    /** The touched environment names. */
    public SortedSet<String> changed() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(environments.keySet()));
    }

    public boolean isEmpty() {
        return environments.isEmpty();
    }

    /**
     * Compares two refs of a repository. A ref is anything git resolves to a commit:
     * {@code origin/main}, {@code HEAD}, a branch or tag name, a full or abbreviated SHA.
     *
     * @throws IllegalArgumentException when a ref does not resolve to a commit
     */
    public static RefDiff between(Repository repo, String baseRef, String headRef) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit base = walk.parseCommit(resolve(repo, baseRef));
            RevCommit head = walk.parseCommit(resolve(repo, headRef));
            RevCommit from = mergeBase(walk, base, head);
            SortedMap<String, Kind> touched = new TreeMap<>();
            for (DiffEntry e : scan(repo, from, head)) {
                switch (e.getChangeType()) {
                    case ADD, COPY -> touch(touched, e.getNewPath(), Kind.ADDED);
                    case MODIFY -> touch(touched, e.getNewPath(), Kind.MODIFIED);
                    case DELETE -> touch(touched, e.getOldPath(), Kind.DELETED);
                    case RENAME -> {
                        touch(touched, e.getOldPath(), Kind.DELETED);
                        touch(touched, e.getNewPath(), Kind.ADDED);
                    }
                }
            }
            return new RefDiff(base.name(), from.name(), head.name(), touched);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare " + baseRef + " with " + headRef, e);
        }
    }

    /** Resolves a ref to a commit, peeling annotated tags. */
    public static ObjectId resolve(Repository repo, String ref) {
        ObjectId id;
        String why = "";
        try {
            id = repo.resolve(ref + "^{commit}");
        } catch (IOException | RevisionSyntaxException e) {
            // Ambiguous abbreviations, a tree or blob id, bad syntax: all "not a commit".
            id = null;
            why = " (" + e.getMessage() + ")";
        }
        if (id == null) {
            throw new IllegalArgumentException("git ref '" + ref + "' does not name a commit in "
                    + repo.getDirectory() + why);
        }
        return id;
    }

    private static RevCommit mergeBase(RevWalk walk, RevCommit base, RevCommit head) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(base);
        walk.markStart(head);
        RevCommit found = walk.next();
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        return found == null ? base : found;
    }

    private static List<DiffEntry> scan(Repository repo, RevCommit from, RevCommit to) throws IOException {
        try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repo);
            diff.setPathFilter(PathFilter.create(SpecRepository.ENVIRONMENTS_DIR));
            // DiffFormatter runs JGit's RenameDetector over the scanned entries.
            diff.setDetectRenames(true);
            return diff.scan(from.getTree(), to.getTree());
        }
    }

    private static void touch(Map<String, Kind> touched, String path, Kind kind) {
        if (SpecSnapshot.isSpecPath(path)) {
            touched.merge(SpecSnapshot.environmentOf(path), kind, Kind::and);
        }
    }
}
