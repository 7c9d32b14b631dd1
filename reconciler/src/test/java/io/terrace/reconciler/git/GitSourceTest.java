package io.terrace.reconciler.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceTest {

    @TempDir
    Path tmp;

    @Test
    void firstFetchCreatesTheCopyAndEachFetchCounts() throws Exception {
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"));
             GitSource source = GitSource.of(tmp.resolve("origin").toString(), "main", tmp.resolve("copy"), Map.of())) {
            origin.write("environments/acme.yaml", "name: acme\n");
            String first = origin.commit("acme");
            assertEquals(first, source.fetch().name());
            assertEquals(first, source.fetch().name());
            origin.write("environments/acme.yaml", "name: acme # edited\n");
            String second = origin.commit("edit");
            assertEquals(second, source.fetch().name());
            assertEquals(3, source.fetchCount());
        }
    }

    @Test
    void restartReusesTheCopy() throws Exception {
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"))) {
            origin.write("environments/acme.yaml", "name: acme\n");
            String commit = origin.commit("acme");
            try (GitSource source = GitSource.of(origin.dir().toString(), "main", tmp.resolve("copy"), Map.of())) {
                source.fetch();
            }
            try (GitSource source = GitSource.of(origin.dir().toString(), "main", tmp.resolve("copy"), Map.of())) {
                assertEquals(commit, source.fetch().name());
            }
        }
    }

    @Test
    void missingBranchOrRepositoryIsAClearError() throws Exception {
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"))) {
            origin.write("README.md", "x\n");
            origin.commit("init");
            try (GitSource source = GitSource.of(origin.dir().toString(), "release", tmp.resolve("a"), Map.of())) {
                GitSourceException e = assertThrows(GitSourceException.class, source::fetch);
                assertTrue(e.getMessage().contains("release"), e.getMessage());
            }
            try (GitSource source = GitSource.of(tmp.resolve("nowhere").toString(), "main", tmp.resolve("b"), Map.of())) {
                GitSourceException e = assertThrows(GitSourceException.class, source::fetch);
                assertTrue(e.getMessage().startsWith("cannot fetch main from"), e.getMessage());
            }
        }
    }

    @Test
    void tokenIsNeverShownInMessages() {
        GitSource source = GitSource.of("https://user:hunter2@git.invalid/specs.git", "main", tmp.resolve("c"),
                Map.of(GitSource.TOKEN_ENV, "ghp_secret"));
        GitSourceException e = assertThrows(GitSourceException.class, source::fetch);
        assertTrue(!e.getMessage().contains("hunter2") && !e.getMessage().contains("ghp_secret"), e.getMessage());
        source.close();
    }

    @Test
    void changedPathsListAddedModifiedAndDeletedFiles() throws Exception {
        try (SpecRepo origin = SpecRepo.init(tmp.resolve("origin"));
             GitSource source = GitSource.of(origin.dir().toString(), "main", tmp.resolve("copy"), Map.of())) {
            origin.write("environments/a.yaml", "a\n").write("environments/b.yaml", "b\n").write("environments/c.yaml", "c\n");
            origin.commit("three");
            ObjectId before = source.fetch();
            origin.write("environments/a.yaml", "a2\n").write("environments/d.yaml", "d\n").delete("environments/c.yaml");
            origin.commit("edit a, add d, remove c");
            ObjectId after = source.fetch();

            assertEquals(Set.of("environments/a.yaml", "environments/c.yaml", "environments/d.yaml"),
                    GitSource.changedPaths(source.repository(), Optional.of(before), after));
        }
    }
}
