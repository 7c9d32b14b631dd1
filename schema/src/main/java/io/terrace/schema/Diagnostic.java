package io.terrace.schema;

/**
 * One problem found in a spec file, positioned like a compiler error. Line and column are
 * 1-based; 0 means the problem has no position (a file that cannot be read, say).
 */
public record Diagnostic(String file, int line, int column, String message) {

    /** {@code environments/acme.yaml:12:5: message}, or {@code file: message} without a position. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + message;
        }
        return file + ":" + line + ":" + column + ": " + message;
    }
}
