package io.terrace.reconciler.git;

import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import io.terrace.schema.YamlLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The specs of a repository at one commit, with the revision of each environment: the commit
 * that last changed its file. Reading from a commit (not a working copy) makes a plan
 * reproducible and lets two refs be compared.
 *
 * <p>A snapshot keeps no file contents: what the engine needs of a file is its validation result
 * (in {@code specs}) and its blob id (to date it and to compare it with a working copy).
 *
 * @param commit    the commit read, or {@code "worktree"} for a plain directory
 * @param files     blob id of each environment file by repository-relative path, files refused
 *                  before parsing (too large, not a regular file) included
 * @param revisions environment name to revision
 */
public record SpecSnapshot(String commit, SpecSet specs, Map<String, ObjectId> files, Map<String, String> revisions) {

    public static final String UNKNOWN_REVISION = "unknown";

    public SpecSnapshot {
        files = Map.copyOf(files);
        revisions = Map.copyOf(revisions);
    }

    /**
     * Reads a commit of a git repository. Entries under {@code environments/} that are not
     * regular files of at most 1 MiB are invalid specs (their content is never loaded).
     *
     * @throws UncheckedIOException when the commit or its tree cannot be read at all
     */
    public static SpecSnapshot read(Repository repo, ObjectId commitId) {
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            RevCommit commit = walk.parseCommit(commitId);
            CommittedFiles found = CommittedFiles.read(reader, commit.getTree());
            SpecSet parsed = SpecRepository.load(found.contents(), found.pause());
            List<SpecResult> results = new ArrayList<>(parsed.results());
            results.addAll(found.rejected());
            results.sort(Comparator.comparing(SpecResult::file));
            SpecSet specs = new SpecSet(results, parsed.pauseReason());
            return new SpecSnapshot(commit.name(), specs, found.ids(), revisions(repo, commit, found.ids().keySet()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read commit " + commitId.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a directory: the files on disk (uncommitted edits included). When the directory is
     * a git work tree, a file that matches HEAD gets its last commit as revision; an edited or
     * untracked file gets {@code "worktree"}; outside git every revision is {@code "unknown"}.
     * Symbolic links are never followed (the specs show them as invalid).
     */
    public static SpecSnapshot read(Path dir) {
        SpecSet specs = SpecRepository.load(dir);
        Map<String, ObjectId> files = new LinkedHashMap<>();
        Path envDir = dir.resolve(SpecRepository.ENVIRONMENTS_DIR);
        if (Files.isDirectory(envDir, LinkOption.NOFOLLOW_LINKS)) {
            try (var stream = Files.list(envDir)) {
                for (Path p : stream.sorted().toList()) {
                    String rel = SpecRepository.ENVIRONMENTS_DIR + "/" + p.getFileName();
                    if (SpecRepository.isEnvironmentFile(rel) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && Files.size(p) <= YamlLoader.MAX_BYTES) {
                        files.put(rel, new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, Files.readAllBytes(p)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + envDir, e);
            }
        }
        Map<String, String> revisions = new HashMap<>();
        files.keySet().forEach(f -> revisions.put(environmentOf(f), UNKNOWN_REVISION));
        try (Repository repo = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile()).setMustExist(true).build()) {
            ObjectId head = repo.resolve(Constants.HEAD);
            Path top = repo.getWorkTree().toPath().toRealPath();
            String prefix = top.relativize(dir.toRealPath()).toString().replace('\\', '/');
            String base = prefix.isEmpty() ? "" : prefix + "/";
            if (head != null) {
                try (RevWalk walk = new RevWalk(repo)) {
                    RevCommit commit = walk.parseCommit(head);
                    Map<String, String> byRepoPath = revisions(repo, commit,
                            files.keySet().stream().map(f -> base + f).collect(java.util.stream.Collectors.toSet()));
                    for (String f : files.keySet()) {
                        String rev = byRepoPath.getOrDefault(environmentOf(base + f), UNKNOWN_REVISION);
                        ObjectId committed = blobAt(repo, commit, base + f);
                        revisions.put(environmentOf(f), files.get(f).equals(committed) ? rev : "worktree");
                    }
                }
            }
            return new SpecSnapshot(head == null ? "worktree" : head.name(), specs, files, revisions);
        } catch (IllegalArgumentException | IOException e) {
            // Not inside a git repository: revisions stay unknown.
            return new SpecSnapshot("worktree", specs, files, revisions);
        }
    }

    /** {@code environments/<name>.yaml} (or .yml) directly under environments/. */
    public static boolean isSpecPath(String path) {
        if (!path.startsWith(SpecRepository.ENVIRONMENTS_DIR + "/")) {
            return false;
        }
        String rest = path.substring(SpecRepository.ENVIRONMENTS_DIR.length() + 1);
        return !rest.contains("/") && (rest.endsWith(".yaml") || rest.endsWith(".yml"));
    }

    /** The environment a spec path declares: its file name without extension. */
    public static String environmentOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static ObjectId blobAt(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
            return tw == null ? ObjectId.zeroId() : tw.getObjectId(0);
        }
    }

    /**
     * The commit that last changed each path, found in one walk of the history: newest first,
     * each commit compared with its first parent, until every path is dated.
     */
    static Map<String, String> revisions(Repository repo, RevCommit head, Set<String> paths) throws IOException {
        Map<String, String> byEnvironment = new HashMap<>();
        Set<String> pending = new HashSet<>(paths);
        if (pending.isEmpty()) {
            return byEnvironment;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            TreeFilter specDir = AndTreeFilter.create(PathFilter.create(commonDir(paths)), TreeFilter.ANY_DIFF);
            walk.setTreeFilter(specDir);
            walk.markStart(walk.parseCommit(head));
            for (RevCommit c : walk) {
                try (TreeWalk tw = new TreeWalk(repo)) {
                    tw.setRecursive(true);
                    tw.setFilter(specDir.clone());
                    tw.addTree(c.getTree());
                    if (c.getParentCount() > 0) {
                        tw.addTree(walk.parseCommit(c.getParent(0)).getTree());
                    } else {
                        tw.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
                    }
                    while (tw.next()) {
                        String p = tw.getPathString();
                        if (pending.remove(p)) {
                            byEnvironment.put(environmentOf(p), c.name());
                        }
                    }
                }
                if (pending.isEmpty()) {
                    break;
                }
            }
        }
        return byEnvironment;
    }

    private static String commonDir(Set<String> paths) {
        String first = paths.iterator().next();
        return first.substring(0, first.lastIndexOf('/'));
    }
}
