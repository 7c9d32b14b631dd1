package io.terrace.reconciler.git;

import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import io.terrace.schema.YamlLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * What one commit's tree holds for the specs: the {@code PAUSE} file and the entries directly
 * under {@code environments/}, each checked by type and by the size in its object header before
 * any byte of it is loaded. An entry that is not a regular file of at most
 * {@value YamlLoader#MAX_BYTES} bytes becomes an invalid spec with one diagnostic, so one bad
 * entry costs its own environment and never the commit (and never the PAUSE in it).
 *
 * @param pause    the first bytes of the PAUSE file, or a one-line reason when it is not a
 *                 readable regular file (it pauses all the same)
 * @param contents spec file contents by path, each at most the spec size limit
 * @param ids      the blob (or gitlink, link) id of every environment entry, rejected ones included
 * @param rejected the entries refused before parsing, as invalid specs
 */
record CommittedFiles(Optional<byte[]> pause, Map<String, byte[]> contents, Map<String, ObjectId> ids,
                      List<SpecResult> rejected) {

    /** The PAUSE reason is its first line: this much of the file is plenty. */
    private static final int PAUSE_BYTES = 4096;

    static CommittedFiles read(ObjectReader reader, RevTree tree) throws IOException {
        // The PAUSE file first: whatever else the commit holds, a pause in it is honoured.
        Optional<byte[]> pause = pause(reader, tree);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, ObjectId> ids = new LinkedHashMap<>();
        List<SpecResult> rejected = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(tree);
            tw.setFilter(PathFilter.create(SpecRepository.ENVIRONMENTS_DIR));
            while (tw.next()) {
                if (tw.getDepth() == 0) {
                    if (tw.isSubtree()) {
                        tw.enterSubtree();
                    }
                    continue;
                }
                // Decoded as every other path of the engine decodes it (JGit falls back to
                // ISO-8859-1), so the diagnostic, the index and the diff agree on the name.
                String path = tw.getPathString();
                if (!SpecRepository.isEnvironmentFile(path)) {
                    continue;
                }
                ObjectId id = tw.getObjectId(0);
                ids.put(path, id);
                Optional<String> problem = !validUtf8(tw.getRawPath())
                        ? Optional.of("file name is not valid UTF-8; rename the file (environment names are ASCII)")
                        : refusal(reader, tw.getFileMode(0), id);
                if (problem.isPresent()) {
                    rejected.add(new SpecResult.Invalid(stem(path), path,
                            List.of(new Diagnostic(path, 0, 0, problem.get()))));
                } else {
                    contents.put(path, reader.open(id, Constants.OBJ_BLOB).getBytes());
                }
            }
        }
        return new CommittedFiles(pause, contents, ids, rejected);
    }

    /** Why an entry is not read as a spec: its type, or its size as the object header gives it. */
    private static Optional<String> refusal(ObjectReader reader, FileMode mode, ObjectId id) throws IOException {
        if (mode == FileMode.SYMLINK) {
            return Optional.of("is a symbolic link; not followed (spec files must be regular files)");
        }
        if (mode == FileMode.GITLINK) {
            return Optional.of("is a submodule (gitlink), not a file; spec files must be regular files");
        }
        if (mode == FileMode.TREE) {
            return Optional.of("is a directory, not a file; spec files must be regular files");
        }
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
            return Optional.of("is not a regular file (mode " + mode + "); spec files must be regular files");
        }
        long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
        if (size > YamlLoader.MAX_BYTES) {
            return Optional.of("file is " + size + " bytes; spec files may be at most "
                    + YamlLoader.MAX_BYTES + " bytes (1 MiB)");
        }
        return Optional.empty();
    }

    /**
     * The PAUSE file's first bytes, streamed so a huge one is never loaded. A PAUSE that is not a
     * regular file, or cannot be read, still pauses: erring towards not applying is the safe side.
     */
    private static Optional<byte[]> pause(ObjectReader reader, RevTree tree) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, SpecRepository.PAUSE_FILE, tree)) {
            if (tw == null) {
                return Optional.empty();
            }
            FileMode mode = tw.getFileMode(0);
            if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                return Optional.of(reason("PAUSE is not a regular file; paused"));
            }
            try (InputStream in = reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).openStream()) {
                return Optional.of(in.readNBytes(PAUSE_BYTES));
            } catch (IOException e) {
                return Optional.of(reason("PAUSE cannot be read (" + e.getMessage() + "); paused"));
            }
        }
    }

    private static byte[] reason(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean validUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String stem(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.lastIndexOf('.'));
    }
}
