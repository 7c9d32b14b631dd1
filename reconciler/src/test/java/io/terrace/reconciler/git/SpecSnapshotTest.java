package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cli.SpecRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions are the commit that last changed each environment's file, wherever the specs live. */
class SpecSnapshotTest {

    @TempDir
    Path tmp;

    @Test
    void eachEnvironmentGetsTheCommitThatLastChangedItsFile() {
        try (ScratchRepo repo = ScratchRepo.init(tmp)) {
            repo.write("environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.write("environments/beta.yaml", SpecRepo.standardSpec("beta", 4));
            RevCommit first = repo.commit("two environments");
            repo.write("environments/beta.yaml", SpecRepo.standardSpec("beta", 6));
            RevCommit second = repo.commit("beta: more web containers");
            repo.write("README.md", "not a spec");
            RevCommit third = repo.commit("readme");

            SpecSnapshot snapshot = SpecSnapshot.read(repo.repository(), third);

            assertEquals(third.name(), snapshot.commit());
            assertEquals(first.name(), snapshot.revisions().get("alpha"));
            assertEquals(second.name(), snapshot.revisions().get("beta"));
            assertTrue(snapshot.specs().valid());
        }
    }

    @Test
    void aSpecFolderInsideARepositoryIsDatedFromGitAndEditsShowAsWorktree() throws Exception {
        try (ScratchRepo repo = ScratchRepo.init(tmp)) {
            repo.write("specs/environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.write("specs/environments/beta.yaml", SpecRepo.standardSpec("beta", 4));
            RevCommit commit = repo.commit("specs in a sub-folder");
            Files.writeString(tmp.resolve("specs/environments/beta.yaml"), SpecRepo.standardSpec("beta", 5));

            // Given as a relative path, as `terrace plan --repo specs` does.
            Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("specs"));
            SpecSnapshot snapshot = SpecSnapshot.read(relative);

            assertEquals(commit.name(), snapshot.revisions().get("alpha"));
            assertEquals("worktree", snapshot.revisions().get("beta"));
        }
    }

    @Test
    void aDirectoryOutsideGitHasUnknownRevisions() throws Exception {
        Path dir = tmp.resolve("plain");
        Files.createDirectories(dir.resolve("environments"));
        Files.writeString(dir.resolve("environments/alpha.yaml"), SpecRepo.standardSpec("alpha", 4));

        SpecSnapshot snapshot = SpecSnapshot.read(dir);

        assertEquals(SpecSnapshot.UNKNOWN_REVISION, snapshot.revisions().get("alpha"));
    }
}
