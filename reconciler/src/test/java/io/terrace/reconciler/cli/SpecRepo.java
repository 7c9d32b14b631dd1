package io.terrace.reconciler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * A copy of the project's example spec repository ({@code specs/environments}) in a test's
 * temporary directory, edited and committed the way a platform team would.
 */
final class SpecRepo {

    final Path root;

    private SpecRepo(Path root) {
        this.root = root;
    }

    /** Copies the example environments into {@code dir} (not yet a git repository). */
    static SpecRepo ofExamples(Path dir) throws IOException {
        Path specs = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(specs.resolve("specs/environments"))) {
            specs = specs.getParent();
        }
        Files.createDirectories(dir.resolve("environments"));
        try (Stream<Path> files = Files.list(specs.resolve("specs/environments"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("environments").resolve(f.getFileName()));
            }
        }
        return new SpecRepo(dir);
    }

    Path file(String env) {
        return root.resolve("environments").resolve(env + ".yaml");
    }

    /** Replaces {@code from} by {@code to} in an environment's file; fails when {@code from} is not there. */
    void edit(String env, String from, String to) throws IOException {
        String text = Files.readString(file(env));
        if (!text.contains(from)) {
            throw new AssertionError(file(env) + " has no `" + from + "`");
        }
        Files.writeString(file(env), text.replace(from, to));
    }

    void append(String env, String line) throws IOException {
        Files.writeString(file(env), Files.readString(file(env)) + line + "\n");
    }

    void delete(String env) throws IOException {
        Files.delete(file(env));
    }

    /** Commits every change under {@code environments/} (additions, edits, deletions); the commit id. */
    String commit(String message) throws IOException, GitAPIException {
        try (Git git = Files.isDirectory(root.resolve(".git")) ? Git.open(root.toFile())
                : Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern("environments").call();
            git.add().addFilepattern("environments").setUpdate(true).call();
            return git.commit().setMessage(message).setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com").setSign(false).call().name();
        }
    }
}
