package io.terrace.reconciler.git;

import static io.terrace.reconciler.git.RefDiff.Kind.ADDED;
import static io.terrace.reconciler.git.RefDiff.Kind.DELETED;
import static io.terrace.reconciler.git.RefDiff.Kind.MODIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which environments a branch touches, in real repositories on disk. */
class RefDiffTest {

    @TempDir
    Path dir;

    private ScratchRepo repo;
    private RevCommit initial;

    @BeforeEach
    void fiveEnvironmentsOnMain() {
        repo = ScratchRepo.init(dir);
        for (String env : new String[] {"alpha", "bravo", "charlie", "delta", "echo"}) {
            repo.write("environments/" + env + ".yaml", "name: " + env + "\nclient: " + env + "\n"
                    + "a body long enough for rename detection to see similarity\n".repeat(5));
        }
        repo.write("README.md", "specs\n");
        initial = repo.commit("five environments");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private RefDiff diff(String base, String head) {
        return RefDiff.between(repo.repository(), base, head);
    }

    @Test
    void aBranchEditingOneFileTouchesOnlyThatEnvironment() {
        repo.branch("feature").write("environments/charlie.yaml", "name: charlie\nclient: other\n");
        RevCommit head = repo.commit("resize charlie");

        RefDiff d = diff("main", "HEAD");

        assertEquals(Map.of("charlie", MODIFIED), d.environments());
        assertEquals(initial.name(), d.base());
        assertEquals(initial.name(), d.mergeBase());
        assertEquals(head.name(), d.head());
    }

    @Test
    void addedAndDeletedFilesAreAddedAndDeletedEnvironments() {
        repo.branch("feature").write("environments/foxtrot.yaml", "name: foxtrot\n").delete("environments/bravo.yaml");
        repo.commit("add foxtrot, drop bravo");

        assertEquals(Map.of("bravo", DELETED, "foxtrot", ADDED), diff("main", "feature").environments());
    }

    @Test
    void aRenameIsTheOldEnvironmentDeletedAndTheNewOneAdded() {
        repo.branch("feature").move("environments/delta.yaml", "environments/delta-two.yaml");
        repo.commit("rename delta");

        assertEquals(Map.of("delta", DELETED, "delta-two", ADDED), diff("main", "feature").environments());
    }

    @Test
    void changingOnlyTheExtensionModifiesTheSameEnvironment() {
        repo.branch("feature").move("environments/echo.yaml", "environments/echo.yml");
        repo.commit("yml");

        assertEquals(Map.of("echo", MODIFIED), diff("main", "feature").environments());
    }

    @Test
    void filesThatAreNotSpecsAreIgnored() {
        repo.branch("feature")
                .write("README.md", "changed\n")
                .write("PAUSE", "freeze\n")
                .write("environments/nested/alpha.yaml", "not a spec path\n")
                .write("environments/notes.txt", "not yaml\n")
                .write("environmentsX/alpha.yaml", "another directory\n");
        repo.commit("noise");

        assertTrue(diff("main", "feature").isEmpty());
    }

    @Test
    void commitsThatReachedTheBaseLaterAreNotTheBranchsChanges() {
        repo.branch("feature").write("environments/alpha.yaml", "name: alpha\nchanged on the branch\n");
        repo.commit("branch edits alpha");
        repo.checkout("main").write("environments/bravo.yaml", "name: bravo\nchanged on main\n");
        RevCommit mainTip = repo.commit("main edits bravo");

        RefDiff d = diff("main", "feature");

        assertEquals(Map.of("alpha", MODIFIED), d.environments());
        assertEquals(mainTip.name(), d.base());
        assertEquals(initial.name(), d.mergeBase());
    }

    @Test
    void resolvesRemoteBranchesTagsAndAbbreviatedShas() {
        repo.fakeFetch("main").tag("v1");
        repo.branch("feature").write("environments/alpha.yaml", "edited\n");
        RevCommit head = repo.commit("edit");

        Map<String, RefDiff.Kind> expected = Map.of("alpha", MODIFIED);
        assertEquals(expected, diff("origin/main", "HEAD").environments());
        assertEquals(expected, diff("v1", head.name()).environments());
        assertEquals(expected, diff(initial.name().substring(0, 10), "feature").environments());
        assertEquals(expected, diff("HEAD~1", "HEAD").environments());
    }

    @Test
    void theSameRefOnBothSidesTouchesNothing() {
        assertTrue(diff("main", "main").isEmpty());
    }

    @Test
    void anUnknownRefIsOneClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> diff("origin/main", "HEAD"));

        assertTrue(e.getMessage().startsWith("git ref 'origin/main' does not name a commit in "), e.getMessage());
    }
}
