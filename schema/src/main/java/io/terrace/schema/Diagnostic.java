package io.terrace.schema;

/**
 * One problem found in a spec file, positioned like a compiler error. Line and column are
 * 1-based; 0 means the problem has no position (a file that cannot be read, say). A message is
 * one line of at most {@value #MAX_MESSAGE} characters.
 */
public record Diagnostic(String file, int line, int column, String message) {

    /** Characters of a message kept; values are quoted as short excerpts, this bounds the rest. */
    public static final int MAX_MESSAGE = 500;

    /** Characters of the file path printed in full. */
    private static final int MAX_FILE = 255;

    public Diagnostic {
        message = message.replace("\r", "\\r").replace("\n", "\\n");
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 1) + "…";
        }
    }

    /** {@code environments/acme.yaml:12:5: message}, or {@code file: message} without a position. */
    @Override
    public String toString() {
        // A path from a git tree has no file system limit on its length: print at most a file
        // system's worth of it.
        String shown = file.length() <= MAX_FILE ? file : Excerpt.bare(file);
        if (line <= 0) {
            return shown + ": " + message;
        }
        return shown + ":" + line + ":" + column + ": " + message;
    }
}
