package io.terrace.schema;

import java.nio.charset.StandardCharsets;

/**
 * The {@code PAUSE} file at the root of a spec repository: while it exists nothing is applied.
 * Its first line is the reason shown in plans and reports; an empty file reads as "paused".
 */
final class PauseFile {

    static final String DEFAULT_REASON = "paused";
    private static final int MAX_REASON = 200;

    private PauseFile() {}

    /** The reason: the first non-blank line, trimmed and capped at 200 characters. */
    static String reason(byte[] content) {
        // Lenient decoding: a pause must take effect even if the file is not clean UTF-8.
        String text = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String first = text.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            return DEFAULT_REASON;
        }
        return first.length() > MAX_REASON ? first.substring(0, MAX_REASON) : first;
    }
}
