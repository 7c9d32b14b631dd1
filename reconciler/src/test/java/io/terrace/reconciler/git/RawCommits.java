package io.terrace.reconciler.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Commits that a working copy cannot easily make, written straight into a repository's object
 * database: submodule entries, symbolic links, file names that are not UTF-8, blobs of tens of
 * megabytes streamed without holding them in memory, a tree that is missing. Each commit goes
 * on top of the branch head, keeping every entry already there.
 */
public final class RawCommits implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

    /** One tree entry: raw path bytes, mode, object. */
    public record Entry(byte[] path, FileMode mode, ObjectId id) {}

    private final Repository repo;
    private final String branch;

    private RawCommits(Repository repo, String branch) {
        this.repo = repo;
        this.branch = branch;
    }

    /** The repository whose work tree (or git directory) is {@code dir}, on {@code main}. */
    public static RawCommits open(Path dir) {
        try {
            return new RawCommits(new FileRepositoryBuilder().findGitDir(dir.toFile()).setMustExist(true).build(), "main");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Repository repository() {
        return repo;
    }

    public Entry file(String path, String content) {
        return new Entry(bytes(path), FileMode.REGULAR_FILE, insert(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A file whose name is given as raw bytes (say ISO-8859-1, not UTF-8). */
    public Entry file(byte[] path, String content) {
        return new Entry(path, FileMode.REGULAR_FILE, insert(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** A file of {@code size} bytes of YAML-looking lines, streamed into the object database. */
    public Entry bigFile(String path, long size) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId id = ins.insert(Constants.OBJ_BLOB, size, new FillerStream(size));
            ins.flush();
            return new Entry(bytes(path), FileMode.REGULAR_FILE, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Entry symlink(String path, String target) {
        return new Entry(bytes(path), FileMode.SYMLINK, insert(target.getBytes(StandardCharsets.UTF_8)));
    }

    /** A submodule entry: a commit id that is not in this repository. */
    public Entry gitlink(String path) {
        return new Entry(bytes(path), FileMode.GITLINK,
                ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"));
    }

    /** Commits the head tree with {@code entries} added (or replaced) and moves the branch to it. */
    public RevCommit commit(String message, List<Entry> entries) {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter();
             ObjectReader reader = repo.newObjectReader()) {
            ObjectId head = repo.resolve("refs/heads/" + branch);
            DirCache index = DirCache.newInCore();
            if (head != null) {
                var builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(head).getTree());
                builder.finish();
            }
            DirCacheEditor editor = index.editor();
            for (Entry e : entries) {
                DirCacheEntry entry = new DirCacheEntry(e.path());
                entry.setFileMode(e.mode());
                entry.setObjectId(e.id());
                editor.add(new DirCacheEditor.PathEdit(entry) {
                    @Override
                    public void apply(DirCacheEntry ent) {
                        ent.setFileMode(e.mode());
                        ent.setObjectId(e.id());
                    }
                });
            }
            editor.finish();
            return commitTree(message, index.writeTree(ins), head);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A commit whose tree object does not exist, as a damaged object database would hold it. */
    public RevCommit commitMissingTree(String message) {
        try {
            return commitTree(message, ObjectId.fromString("fedcba9876543210fedcba9876543210fedcba98"),
                    repo.resolve("refs/heads/" + branch));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RevCommit commitTree(String message, ObjectId tree, ObjectId parent) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(tree);
            if (parent != null) {
                c.setParentId(parent);
            }
            c.setAuthor(AUTHOR);
            c.setCommitter(AUTHOR);
            c.setMessage(message);
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = repo.updateRef("refs/heads/" + branch);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            u.update();
            return walk.parseCommit(id);
        }
    }

    private ObjectId insert(byte[] content) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId id = ins.insert(Constants.OBJ_BLOB, content);
            ins.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        repo.close();
    }

    /** {@code size} bytes of repeated YAML lines, generated as they are read. */
    private static final class FillerStream extends InputStream {
        private static final byte[] LINE = "  - { name: filler, value: 0123456789abcdef }\n".getBytes(StandardCharsets.UTF_8);
        private long left;
        private int at;

        FillerStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            byte b = LINE[at];
            at = (at + 1) % LINE.length;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                buf[off + i] = LINE[at];
                at = (at + 1) % LINE.length;
            }
            left -= n;
            return n;
        }
    }
}
