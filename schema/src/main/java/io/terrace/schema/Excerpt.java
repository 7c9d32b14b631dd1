package io.terrace.schema;

import java.util.Locale;

/**
 * How a value from a spec file is quoted in a diagnostic: whole when short, else its first
 * {@value #MAX} characters and its length ({@code 'aaaa…' (900,000 characters)}), with line
 * breaks and other control characters escaped so a diagnostic always stays one bounded line.
 * Every value a spec author (or an attacker) wrote goes through here before it is echoed.
 */
final class Excerpt {

    /** Characters of a value quoted before it is cut. */
    static final int MAX = 60;

    private Excerpt() {}

    /** {@code 'value'}, or {@code 'first 60 characters…' (N characters)} for a longer value. */
    static String quote(String value) {
        if (value.length() <= MAX) {
            return "'" + escape(value) + "'";
        }
        return "'" + escape(value.substring(0, MAX)) + "…' (" + String.format(Locale.ROOT, "%,d", value.length())
                + " characters)";
    }

    /** The value without quotes, cut like {@link #quote}; for values that read better bare (file names). */
    static String bare(String value) {
        if (value.length() <= MAX) {
            return escape(value);
        }
        return escape(value.substring(0, MAX)) + "… (" + String.format(Locale.ROOT, "%,d", value.length())
                + " characters)";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
