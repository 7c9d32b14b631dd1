package io.terrace.schema;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates the environments of a spec repository: {@code environments/*.yaml} and an
 * optional {@code PAUSE} file at the root. Sources may be a directory on disk or file contents
 * read from a git tree, so the same rules apply to a working copy and to any commit.
 */
public final class SpecRepository {

    public static final String ENVIRONMENTS_DIR = "environments";
    public static final String PAUSE_FILE = "PAUSE";

    private SpecRepository() {}

    /** Loads every environment file under {@code root/environments}. */
    public static SpecSet load(Path root) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Loads the given files (paths relative to {@code root} or absolute), still applying the
     * cross-file rules against every other environment of the repository.
     */
    public static SpecSet load(Path root, List<Path> files) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Loads environments from file contents keyed by repository-relative path
     * ({@code environments/acme.yaml}); {@code pause} is the content of the PAUSE file if any.
     */
    public static SpecSet load(Map<String, byte[]> files, Optional<byte[]> pause) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
