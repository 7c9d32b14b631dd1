package io.terrace.reconciler.cli;

import io.terrace.planner.Action;
import io.terrace.reconciler.engine.ApplyResult;
import io.terrace.reconciler.engine.StepListener;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What {@code terrace apply} and {@code plan} are doing, on standard error, in Terraform's words:
 * {@code <address>: Creating...}, {@code <address>: Still creating... [1m20s elapsed]} every 10 s,
 * {@code <address>: Creation complete after 1m2s}. Reading live state says nothing unless it
 * takes over 2 s. Time comes from a {@link Clock}; {@link #tick()} prints what is due, and
 * {@link #start} calls it every second (tests call it themselves on a fake clock).
 */
final class Progress implements StepListener, AutoCloseable {

    /** How long a read runs before it is announced. */
    static final Duration QUIET = Duration.ofSeconds(2);
    /** How often a long step or read says it is still at work. */
    static final Duration EVERY = Duration.ofSeconds(10);

    /** Terraform's words for one kind of work. */
    enum Verb {
        CREATE("Creating...", "Still creating...", "Creation complete", "Creation failed"),
        UPDATE("Modifying...", "Still modifying...", "Modifications complete", "Modifications failed"),
        REPLACE("Replacing...", "Still replacing...", "Replacement complete", "Replacement failed"),
        DELETE("Destroying...", "Still destroying...", "Destruction complete", "Destruction failed"),
        READ("Reading...", "Still reading...", "Read complete", "Read failed");

        final String starting;
        final String still;
        final String complete;
        final String failed;

        Verb(String starting, String still, String complete, String failed) {
            this.starting = starting;
            this.still = still;
            this.complete = complete;
            this.failed = failed;
        }

        static Verb of(Action action) {
            return switch (action) {
                case CREATE -> CREATE;
                case DELETE -> DELETE;
                case REPLACE -> REPLACE;
                default -> UPDATE;
            };
        }
    }

    private static final class Running {
        final Verb verb;
        final Instant started;
        boolean announced;
        Instant next;

        Running(Verb verb, Instant started) {
            this.verb = verb;
            this.started = started;
            this.next = started.plus(EVERY);
        }
    }

    private final PrintWriter err;
    private final Clock clock;
    private final boolean colour;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private ScheduledExecutorService ticker;

    Progress(PrintWriter err, Clock clock, boolean colour) {
        this.err = err;
        this.clock = clock;
        this.colour = colour;
    }

    /** Progress that ticks every second on a thread of its own until closed. */
    static Progress start(PrintWriter err, Clock clock, boolean colour) {
        Progress progress = new Progress(err, clock, colour);
        progress.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "terrace-progress");
            t.setDaemon(true);
            return t;
        });
        progress.ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
        return progress;
    }

    @Override
    public synchronized void started(String address, Action action) {
        Running r = new Running(Verb.of(action), clock.instant());
        running.put(address, r);
        announce(address, r);
    }

    @Override
    public synchronized void finished(ApplyResult.Step step) {
        Running r = running.remove(step.address());
        if (r == null) {
            return;
        }
        boolean failed = step.status() != ApplyResult.Status.SUCCEEDED;
        line(step.address() + ": " + (failed ? r.verb.failed : r.verb.complete) + " after " + go(elapsed(r)), failed);
    }

    /**
     * Runs a read of live state: announced ({@code what: Reading...}) only once it has taken
     * {@link #QUIET}, then every 10 s, and its end only if it was announced.
     */
    <T> T reading(String what, Supplier<T> read) {
        Running r = new Running(Verb.READ, clock.instant());
        synchronized (this) {
            running.put(what, r);
        }
        boolean ok = false;
        try {
            T result = read.get();
            ok = true;
            return result;
        } finally {
            synchronized (this) {
                running.remove(what);
                if (r.announced) {
                    line(what + ": " + (ok ? r.verb.complete : r.verb.failed) + " after " + go(elapsed(r)), !ok);
                }
            }
        }
    }

    /** Prints every announcement and "still" line that is due now. */
    synchronized void tick() {
        Instant now = clock.instant();
        for (Map.Entry<String, Running> e : running.entrySet()) {
            Running r = e.getValue();
            if (!r.announced) {
                if (!now.isBefore(r.started.plus(QUIET))) {
                    announce(e.getKey(), r);
                }
                continue;
            }
            if (!now.isBefore(r.next)) {
                while (!now.isBefore(r.next)) {
                    r.next = r.next.plus(EVERY);
                }
                Duration shown = Duration.between(r.started, r.next.minus(EVERY));
                line(e.getKey() + ": " + r.verb.still + " [" + go(shown) + " elapsed]", false);
            }
        }
    }

    private void announce(String what, Running r) {
        if (r.verb != Verb.READ || !clock.instant().isBefore(r.started.plus(QUIET))) {
            r.announced = true;
            line(what + ": " + r.verb.starting, false);
        }
    }

    private Duration elapsed(Running r) {
        return Duration.between(r.started, clock.instant());
    }

    private void line(String text, boolean failed) {
        err.println(colour ? (failed ? "\u001b[1;31m" : "\u001b[1m") + text + "\u001b[0m" : text);
        err.flush();
    }

    /** A duration as Terraform (Go) prints it, to the second: {@code 0s}, {@code 45s}, {@code 1m2s}, {@code 1h0m5s}. */
    static String go(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 3600) {
            return s / 3600 + "h" + s % 3600 / 60 + "m" + s % 60 + "s";
        }
        return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
