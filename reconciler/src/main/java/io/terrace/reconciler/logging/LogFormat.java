package io.terrace.reconciler.logging;

import java.util.Locale;
import java.util.Map;

/** How log lines are written: readable {@code key=value} text, or one JSON object per line. */
public enum LogFormat {
    TEXT, JSON;

    /** The environment variable that chooses the format when no option does. */
    public static final String ENV = "TERRACE_LOG_FORMAT";

    /** {@code text} or {@code json}, any case; anything else is an error naming both. */
    public static LogFormat parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log format " + value + ": use text or json");
        }
    }

    /** The format {@value #ENV} asks for, text when it is unset or empty. */
    public static LogFormat fromEnvironment(Map<String, String> env) {
        String v = env.getOrDefault(ENV, "");
        return v.isBlank() ? TEXT : parse(v);
    }
}
