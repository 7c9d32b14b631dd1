package io.terrace.reconciler.daemon;

/**
 * One structured log line: {@code event=reconcile env=acme revision=1a2b3c4d5e6f outcome=applied}.
 * Values with spaces or quotes are quoted, so a line splits into key=value pairs mechanically.
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
        String v = String.valueOf(value);
        text.append(' ').append(key).append('=');
        if (v.isEmpty() || v.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            text.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        } else {
            text.append(v);
        }
        return this;
    }

    /** A revision shortened to 12 characters, as git does in logs. */
    public LogLine revision(String revision) {
        return with("revision", revision.length() > 12 && revision.matches("[0-9a-f]+") ? revision.substring(0, 12) : revision);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
