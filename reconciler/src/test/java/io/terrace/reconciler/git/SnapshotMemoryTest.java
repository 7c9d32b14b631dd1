package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cli.SpecRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit of many large files (small once compressed in git) is read in a heap far smaller
 * than the files: no blob over the spec size limit is ever loaded.
 */
class SnapshotMemoryTest {

    private static final long FILE_SIZE = 45L << 20;
    private static final int FILES = 20;

    @TempDir
    Path tmp;

    @Test
    void twentyFilesOf45MegabytesAreReadIn256MegabytesOfHeap() throws Exception {
        RevCommit commit;
        try (ScratchRepo repo = ScratchRepo.init(tmp); RawCommits raw = RawCommits.open(tmp)) {
            repo.write("environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.commit("alpha");
            List<RawCommits.Entry> big = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                big.add(raw.bigFile("environments/big" + i + ".yaml", FILE_SIZE));
            }
            commit = raw.commit("twenty large files", big);
        }

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                SnapshotHeapProbe.class.getName(), tmp.toString(), commit.name())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe finished");

        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("invalid=(\\d+) valid=(\\d+) peak_heap_mb=(\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals(FILES, Integer.parseInt(m.group(1)), out);
        assertEquals(1, Integer.parseInt(m.group(2)), out);
        assertTrue(Integer.parseInt(m.group(3)) < 128, "peak heap " + m.group(3) + " MB: " + out);
        assertTrue(out.contains("file is " + FILE_SIZE + " bytes; spec files may be at most 1048576 bytes (1 MiB)"), out);
        System.out.println("snapshot of " + FILES + " x 45 MB files: " + out.strip());
    }
}
