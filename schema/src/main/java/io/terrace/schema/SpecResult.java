package io.terrace.schema;

import java.util.List;

/**
 * The outcome of loading one environment file: a valid spec, or the diagnostics that explain
 * why it is not. The environment name of an invalid file is its file name without extension.
 */
public sealed interface SpecResult {

    String name();

    /** The file path relative to the repository root, with forward slashes. */
    String file();

    record Valid(String name, String file, EnvironmentSpec spec) implements SpecResult {}

    record Invalid(String name, String file, List<Diagnostic> diagnostics) implements SpecResult {
        public Invalid {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
