package io.terrace.reconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.terrace.planner.Action;
import io.terrace.reconciler.engine.ApplyResult.Status;
import io.terrace.reconciler.engine.ApplyResult.Step;
import io.terrace.reconciler.engine.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progress lines as Terraform prints them, on a fake clock: nothing here waits. */
class ProgressTest {

    private static final String WEB = "blog-dev/web/service";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StringWriter err = new StringWriter();

    private Progress progress(boolean colour) {
        return new Progress(new PrintWriter(err), clock, colour);
    }

    private List<String> lines() {
        return err.toString().lines().toList();
    }

    /** Moves the clock second by second, ticking each second as the real ticker does. */
    private void seconds(Progress p, int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            p.tick();
        }
    }

    @Test
    void saysStillCreatingEveryTenSecondsAndHowLongItTook() {
        Progress p = progress(false);
        p.started(WEB, Action.CREATE);
        seconds(p, 9);
        assertEquals(List.of(WEB + ": Creating..."), lines());
        seconds(p, 71);
        clock.advance(Duration.ofSeconds(2));
        p.finished(new Step(WEB, Action.CREATE, Status.SUCCEEDED, "created arn"));
        assertEquals(List.of(
                WEB + ": Creating...",
                WEB + ": Still creating... [10s elapsed]",
                WEB + ": Still creating... [20s elapsed]",
                WEB + ": Still creating... [30s elapsed]",
                WEB + ": Still creating... [40s elapsed]",
                WEB + ": Still creating... [50s elapsed]",
                WEB + ": Still creating... [1m0s elapsed]",
                WEB + ": Still creating... [1m10s elapsed]",
                WEB + ": Still creating... [1m20s elapsed]",
                WEB + ": Creation complete after 1m22s"), lines());
    }

    @Test
    void aLateTickStillReportsTheTenSecondMarkItPassed() {
        Progress p = progress(false);
        p.started(WEB, Action.DELETE);
        clock.advance(Duration.ofSeconds(25));
        p.tick();
        p.tick();
        assertEquals(List.of(WEB + ": Destroying...", WEB + ": Still destroying... [20s elapsed]"), lines());
    }

    @Test
    void namesEachActionInTerraformsWords() {
        Progress p = progress(false);
        p.started("a", Action.UPDATE);
        p.started("b", Action.REPLACE);
        seconds(p, 10);
        p.finished(new Step("a", Action.UPDATE, Status.SUCCEEDED, "updated"));
        p.finished(new Step("b", Action.REPLACE, Status.FAILED, "boom"));
        assertEquals(List.of("a: Modifying...", "b: Replacing...",
                "a: Still modifying... [10s elapsed]", "b: Still replacing... [10s elapsed]",
                "a: Modifications complete after 10s", "b: Replacement failed after 10s"), lines());
    }

    @Test
    void aQuickReadSaysNothing() {
        Progress p = progress(false);
        String value = p.reading("live state of blog-dev in eu-west-1", () -> {
            clock.advance(Duration.ofMillis(1900));
            p.tick();
            return "read";
        });
        assertEquals("read", value);
        assertEquals("", err.toString());
    }

    @Test
    void aReadOverTwoSecondsSaysWhatItReads() {
        Progress p = progress(false);
        p.reading("live state of 5 environments in eu-west-1", () -> {
            seconds(p, 12);
            clock.advance(Duration.ofMillis(500));
            return null;
        });
        assertEquals(List.of(
                "live state of 5 environments in eu-west-1: Reading...",
                "live state of 5 environments in eu-west-1: Still reading... [10s elapsed]",
                "live state of 5 environments in eu-west-1: Read complete after 12s"), lines());
    }

    @Test
    void colourOnlyOnATerminal() {
        Progress plain = progress(false);
        plain.started(WEB, Action.CREATE);
        plain.finished(new Step(WEB, Action.CREATE, Status.FAILED, "no"));
        assertFalse(err.toString().contains("\u001b"), err.toString());

        err.getBuffer().setLength(0);
        Progress coloured = progress(true);
        coloured.started(WEB, Action.CREATE);
        coloured.finished(new Step(WEB, Action.CREATE, Status.FAILED, "no"));
        assertEquals(List.of("\u001b[1m" + WEB + ": Creating...\u001b[0m",
                "\u001b[1;31m" + WEB + ": Creation failed after 0s\u001b[0m"), lines());
    }

    @Test
    void noColourWhenPipedOrWithNoColor() {
        assertTrue(Terminal.colour(true, Map.of("TERM", "xterm-256color")));
        assertFalse(Terminal.colour(false, Map.of("TERM", "xterm-256color")), "piped");
        assertFalse(Terminal.colour(true, Map.of("NO_COLOR", "1")), "NO_COLOR");
        assertTrue(Terminal.colour(true, Map.of("NO_COLOR", "")), "an empty NO_COLOR does not count (no-color.org)");
        assertFalse(Terminal.colour(true, Map.of("TERM", "dumb")), "dumb terminal");
        assertFalse(Terminal.NONE.colour());
    }

    @Test
    void durationsReadAsTerraformPrintsThem() {
        assertEquals("0s", Progress.go(Duration.ofMillis(900)));
        assertEquals("45s", Progress.go(Duration.ofSeconds(45)));
        assertEquals("1m2s", Progress.go(Duration.ofSeconds(62)));
        assertEquals("1h0m5s", Progress.go(Duration.ofSeconds(3605)));
    }
}
