package io.terrace.reconciler.cli;

import io.terrace.reconciler.git.ScratchRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A copy of the project's example spec repository ({@code specs/environments}) in a test's
 * temporary directory, edited and committed the way a platform team would.
 */
public final class SpecRepo {

    final Path root;

    private SpecRepo(Path root) {
        this.root = root;
    }

    /** The project's example spec repository ({@code specs/}), found from the working directory up. */
    static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("specs/environments"))) {
            p = p.getParent();
        }
        return p.resolve("specs");
    }

    /** Copies the example environments into {@code dir} (not yet a git repository). */
    static SpecRepo ofExamples(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("environments"));
        try (Stream<Path> files = Files.list(examples().resolve("environments"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("environments").resolve(f.getFileName()));
            }
        }
        return new SpecRepo(dir);
    }

    /** A valid standard-tier production spec with the given web maximum, as its YAML file reads. */
    public static String standardSpec(String name, int webMax) {
        return """
                apiVersion: terrace/v1
                kind: Environment
                name: %s
                client: acme
                tier: standard
                stage: production
                region: eu-west-1
                application:
                  image: registry.example.com/acme/app:1.0.0
                  web:
                    max: %d
                cdn:
                  aliases: [www.%s.example]
                """.formatted(name, webMax, name);
    }

    /** Writes a file of a spec repository at {@code root}, creating its directory. */
    static void write(Path root, String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
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
    String commit(String message) {
        try (ScratchRepo git = Files.isDirectory(root.resolve(".git")) ? ScratchRepo.open(root) : ScratchRepo.init(root)) {
            return git.commit(message, "environments").name();
        }
    }
}
