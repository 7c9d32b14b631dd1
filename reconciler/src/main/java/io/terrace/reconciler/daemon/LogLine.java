package io.terrace.reconciler.daemon;

/**
 * One structured log line: {@code event=reconcile env=acme revision=1a2b3c4d5e6f outcome=applied}.
 * Values with spaces, quotes, {@code =}, backslashes or control characters are quoted and escaped,
 * so a line splits into key=value pairs mechanically and a value taken from a request (a path, a
 * header) can neither start a new line nor pass itself off as another key.
 */
public final class LogLine {

    private final StringBuilder text = new StringBuilder();

    private LogLine(String event) {
        text.append("event=").append(event);
    }

    public static LogLine event(String event) {
        return new LogLine(event);
    }

    public LogLine with(String key, Object value) {
        text.append(' ').append(key).append('=');
        value(text, String.valueOf(value));
        return this;
    }

    /** A revision shortened to 12 characters, as git does in logs. */
    public LogLine revision(String revision) {
        return with("revision", revision.length() > 12 && revision.matches("[0-9a-f]+") ? revision.substring(0, 12) : revision);
    }

    /** The value as it appears in a line: bare when it is one plain word, else quoted with escapes. */
    static void value(StringBuilder out, String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c == '\\' || unsafe(c))) {
            out.append(v);
            return;
        }
        out.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Characters a terminal or a log viewer may act on rather than show: C0 and C1 controls
     * (CR, LF, ESC, NEL…), DEL, the Unicode line and paragraph separators, and the bidirectional
     * overrides that make text read differently from how it is stored.
     */
    private static boolean unsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
