package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.reconciler.cli.SpecRepo;
import io.terrace.schema.Diagnostic;
import io.terrace.schema.SpecResult;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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

    @Test
    void entriesThatAreNotSmallRegularFilesAreInvalidOneByOneAndThePauseStillHolds() {
        try (ScratchRepo repo = ScratchRepo.init(tmp); RawCommits raw = RawCommits.open(tmp)) {
            repo.write("environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.commit("alpha");
            raw.commit("hostile entries", List.of(
                    raw.gitlink("environments/sub.yaml"),
                    raw.bigFile("environments/huge.yaml", 60L << 20),
                    raw.symlink("environments/link.yaml", "/etc/passwd"),
                    raw.file("environments/caf\u00e9.yaml".getBytes(StandardCharsets.ISO_8859_1),
                            SpecRepo.standardSpec("cafe", 4))));
            RevCommit paused = raw.commit("pause", List.of(raw.bigFile("PAUSE", 2L << 20)));

            SpecSnapshot snapshot = SpecSnapshot.read(repo.repository(), paused);

            Map<String, List<String>> problems = snapshot.specs().results().stream()
                    .filter(SpecResult.Invalid.class::isInstance).map(SpecResult.Invalid.class::cast)
                    .collect(Collectors.toMap(SpecResult::file,
                            r -> r.diagnostics().stream().map(Diagnostic::toString).toList()));
            assertEquals(Map.of(
                    "environments/sub.yaml", List.of("environments/sub.yaml: is a submodule (gitlink), not a file; "
                            + "spec files must be regular files"),
                    "environments/huge.yaml", List.of("environments/huge.yaml: file is 62914560 bytes; spec files "
                            + "may be at most 1048576 bytes (1 MiB)"),
                    "environments/link.yaml", List.of("environments/link.yaml: is a symbolic link; not followed "
                            + "(spec files must be regular files)"),
                    "environments/caf\u00e9.yaml", List.of("environments/caf\u00e9.yaml: file name is not valid UTF-8; "
                            + "rename the file (environment names are ASCII)")), problems);
            assertTrue(snapshot.specs().find("alpha").orElseThrow() instanceof SpecResult.Valid, "the others load");
            assertEquals(Optional.of("- { name: filler, value: 0123456789abcdef }"), snapshot.specs().pauseReason(),
                    "a PAUSE over any size limit still pauses, with its first line");
            assertEquals(5, snapshot.files().size(), "every entry is known by its id, none by its content");
        }
    }

    @Test
    void aPauseThatIsNotARegularFileStillPauses() {
        try (ScratchRepo repo = ScratchRepo.init(tmp); RawCommits raw = RawCommits.open(tmp)) {
            repo.write("environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.commit("alpha");
            RevCommit linked = raw.commit("pause as a link", List.of(raw.symlink("PAUSE", "/nonexistent")));
            assertEquals(Optional.of("PAUSE is not a regular file; paused"),
                    SpecSnapshot.read(repo.repository(), linked).specs().pauseReason());
            RevCommit submodule = raw.commit("pause as a submodule", List.of(raw.gitlink("PAUSE")));
            assertEquals(Optional.of("PAUSE is not a regular file; paused"),
                    SpecSnapshot.read(repo.repository(), submodule).specs().pauseReason());
        }
    }

    @Test
    void aCommitWhoseTreeIsMissingCannotBeReadAndSaysWhichOneOnOneLine() {
        try (ScratchRepo repo = ScratchRepo.init(tmp); RawCommits raw = RawCommits.open(tmp)) {
            repo.write("environments/alpha.yaml", SpecRepo.standardSpec("alpha", 4));
            repo.commit("alpha");
            RevCommit broken = raw.commitMissingTree("damaged");

            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> SpecSnapshot.read(repo.repository(), broken));

            assertTrue(e.getMessage().startsWith("cannot read commit " + broken.name() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("fedcba9876543210fedcba9876543210fedcba98"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aSymbolicLinkInAWorkingCopyIsInvalidAndItsTargetIsNeverRead() throws Exception {
        Path dir = tmp.resolve("plain");
        Files.createDirectories(dir.resolve("environments"));
        Files.writeString(dir.resolve("environments/alpha.yaml"), SpecRepo.standardSpec("alpha", 4));
        Path outside = Files.writeString(tmp.resolve("outside.yaml"), "root:x:0:0:secret-content\n");
        Files.createSymbolicLink(dir.resolve("environments/evil.yaml"), outside);

        SpecSnapshot snapshot = SpecSnapshot.read(dir);

        SpecResult evil = snapshot.specs().find("evil").orElseThrow();
        assertEquals(List.of("environments/evil.yaml: is a symbolic link; not followed (spec files must be regular files)"),
                ((SpecResult.Invalid) evil).diagnostics().stream().map(Diagnostic::toString).toList());
        assertTrue(snapshot.specs().find("alpha").orElseThrow() instanceof SpecResult.Valid);
        assertFalse(snapshot.files().containsKey("environments/evil.yaml"));
    }
}
