package io.terrace.reconciler.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the command line meets a person: whether one is there to answer ({@code terrace apply}'s
 * approval prompt), what they type, and whether output may be coloured. The real one is
 * {@link System#console()}; tests pass their own.
 */
interface Terminal {

    /** True when standard input and output are a terminal, so a person can answer a prompt. */
    boolean interactive();

    /** The next line typed, without its line end; empty at the end of input. */
    Optional<String> readLine();

    /** True when output may carry colour: a terminal, and {@code NO_COLOR} unset or empty. */
    boolean colour();

    /** The process's terminal, if it has one. */
    static Terminal system() {
        return system(System.console(), System.getenv());
    }

    /**
     * Whether output may be coloured: only on a terminal, and never with {@code NO_COLOR} set to
     * anything (no-color.org) or on a {@code TERM=dumb} terminal.
     */
    static boolean colour(boolean terminal, Map<String, String> env) {
        return terminal && env.getOrDefault("NO_COLOR", "").isEmpty() && !"dumb".equals(env.get("TERM"));
    }

    private static Terminal system(Console console, Map<String, String> env) {
        boolean colour = colour(console != null, env);
        return new Terminal() {
            @Override
            public boolean interactive() {
                return console != null;
            }

            @Override
            public Optional<String> readLine() {
                return console == null ? Optional.empty() : Optional.ofNullable(console.readLine());
            }

            @Override
            public boolean colour() {
                return colour;
            }
        };
    }

    /** A terminal where a person types {@code input} (lines), for tests. */
    static Terminal typing(String input, boolean colour) {
        BufferedReader lines = new BufferedReader(new StringReader(input));
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public Optional<String> readLine() {
                try {
                    return Optional.ofNullable(lines.readLine());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean colour() {
                return colour;
            }
        };
    }

    /** No terminal: input and output are files or pipes (CI, scripts). */
    Terminal NONE = system(null, Map.of());
}
