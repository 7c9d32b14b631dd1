package io.terrace.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads and validates the environments of a spec repository: {@code environments/*.yaml} and an
 * optional {@code PAUSE} file at the root. Sources may be a directory on disk or file contents
 * read from a git tree, so the same rules apply to a working copy and to any commit.
 *
 * <p>Environment files are the direct children of {@code environments/} named {@code *.yaml} or
 * {@code *.yml} (not hidden); every other file is ignored. Each file is validated on its own
 * (one bad file never stops the others), then the cross-file rules run over all of them.
 *
 * <p>On disk, symbolic links are never followed: an environment file that is a link is invalid
 * ("is a symbolic link; not followed"), so a link cannot make the tools read (and print) a file
 * outside the repository.
 */
public final class SpecRepository {

    public static final String ENVIRONMENTS_DIR = "environments";
    public static final String PAUSE_FILE = "PAUSE";
    private static final String SYMLINK = "is a symbolic link; not followed (spec files must be regular files)";

    private SpecRepository() {}

    /** Loads every environment file under {@code root/environments}. */
    public static SpecSet load(Path root) {
        List<EnvironmentFile> all = readAll(root);
        CrossFileRules.check(all, all);
        return set(all, pause(root));
    }

    /**
     * Loads the given files (paths relative to {@code root} or absolute), still applying the
     * cross-file rules against every other environment of the repository. The set holds one
     * result per given file, in the order given.
     */
    public static SpecSet load(Path root, List<Path> files) {
        Path base = root.toAbsolutePath().normalize();
        List<EnvironmentFile> all = new ArrayList<>(readAll(root));
        List<EnvironmentFile> checked = new ArrayList<>();
        for (Path given : files) {
            Path absolute = base.resolve(given).normalize();
            String display = absolute.startsWith(base)
                    ? base.relativize(absolute).toString().replace('\\', '/')
                    : given.toString().replace('\\', '/');
            Optional<EnvironmentFile> known = all.stream().filter(e -> e.file().equals(display)).findFirst();
            if (known.isPresent()) {
                checked.add(known.get());
                continue;
            }
            EnvironmentFile env = read(absolute, display);
            all.add(env);
            checked.add(env);
        }
        CrossFileRules.check(checked, all);
        return set(checked, pause(root));
    }

    /**
     * Loads environments from file contents keyed by repository-relative path
     * ({@code environments/acme.yaml}); {@code pause} is the content of the PAUSE file if any.
     * Keys that are not environment files are ignored.
     */
    public static SpecSet load(Map<String, byte[]> files, Optional<byte[]> pause) {
        List<EnvironmentFile> all = new ArrayList<>();
        new TreeMap<>(files).forEach((path, content) -> {
            if (isEnvironmentFile(path)) {
                all.add(EnvironmentFile.read(path, content));
            }
        });
        CrossFileRules.check(all, all);
        return set(all, pause.map(PauseFile::reason));
    }

    /** Whether a repository-relative path names an environment file ({@code environments/<name>.yaml|yml}). */
    public static boolean isEnvironmentFile(String path) {
        String prefix = ENVIRONMENTS_DIR + "/";
        if (!path.startsWith(prefix)) {
            return false;
        }
        String name = path.substring(prefix.length());
        return !name.contains("/") && !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    private static List<EnvironmentFile> readAll(Path root) {
        Path dir = root.resolve(ENVIRONMENTS_DIR);
        if (Files.isSymbolicLink(dir)) {
            return List.of(EnvironmentFile.unreadable(ENVIRONMENTS_DIR, SYMLINK));
        }
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, Path> paths = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String relative = ENVIRONMENTS_DIR + "/" + p.getFileName();
                if (isEnvironmentFile(relative) && (Files.isSymbolicLink(p) || Files.isRegularFile(p))) {
                    paths.put(relative, p);
                }
            }
        } catch (IOException e) {
            return List.of(EnvironmentFile.unreadable(ENVIRONMENTS_DIR, "cannot list directory: " + e.getMessage()));
        }
        List<EnvironmentFile> out = new ArrayList<>();
        paths.forEach((relative, p) -> out.add(read(p, relative)));
        return out;
    }

    /** Reads at most one byte past the limit, so a huge (or endless) file is never loaded whole. */
    private static EnvironmentFile read(Path path, String display) {
        try {
            if (Files.isSymbolicLink(path)) {
                return EnvironmentFile.unreadable(display, SYMLINK);
            }
            if (path.getParent() != null && Files.isSymbolicLink(path.getParent())) {
                return EnvironmentFile.unreadable(display, "its folder is a symbolic link; not followed");
            }
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return EnvironmentFile.unreadable(display, "file not found");
            }
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return EnvironmentFile.unreadable(display, "not a regular file");
            }
            long size = Files.size(path);
            if (size > YamlLoader.MAX_BYTES) {
                return EnvironmentFile.unreadable(display, "file is " + size
                        + " bytes; spec files may be at most " + YamlLoader.MAX_BYTES + " bytes (1 MiB)");
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                content = in.readNBytes(YamlLoader.MAX_BYTES + 1);
            }
            return EnvironmentFile.read(display, content);
        } catch (IOException e) {
            return EnvironmentFile.unreadable(display, "cannot read file: " + e.getMessage());
        }
    }

    private static Optional<String> pause(Path root) {
        Path pause = root.resolve(PAUSE_FILE);
        if (Files.isSymbolicLink(pause)) {
            // A link is not followed, but it still pauses: erring towards not applying is the safe side.
            return Optional.of("PAUSE is a symbolic link (not followed); paused");
        }
        if (!Files.isRegularFile(pause)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(pause, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(PauseFile.reason(in.readNBytes(4096)));
        } catch (IOException e) {
            // An unreadable PAUSE file still pauses: erring towards not applying is the safe side.
            return Optional.of(PauseFile.DEFAULT_REASON);
        }
    }

    private static SpecSet set(List<EnvironmentFile> files, Optional<String> pauseReason) {
        Map<String, SpecResult> results = new LinkedHashMap<>();
        for (EnvironmentFile f : files) {
            results.putIfAbsent(f.file(), f.result());
        }
        List<SpecResult> list = new ArrayList<>(results.values());
        return new SpecSet(list, pauseReason);
    }
}
