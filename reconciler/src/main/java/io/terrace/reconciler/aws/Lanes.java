package io.terrace.reconciler.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the reads of one observe a few at a time: the services of a region, the regions of a
 * fleet. On AWS an observe is latency-bound (a dozen services, a few pages each), so lanes cut
 * its time without more calls; each lane runs its share of the tasks one after another, so an
 * observe never has more than its lanes in flight, whatever the fleet. The threads are shared by
 * every observe of the process (daemon threads, kept a minute when idle); the calling thread runs
 * the first lane itself.
 */
public final class Lanes {

    /**
     * Lanes per observe: each region's services run four at a time, and so do the regions of a
     * fleet. {@value #PROPERTY} overrides it; 1 observes one service after another.
     */
    public static final int DEFAULT = 4;
    public static final String PROPERTY = "terrace.aws.observeLanes";

    private static final AtomicInteger THREAD = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "terrace-observe-" + THREAD.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Lanes() {}

    /** {@link #DEFAULT}, or the system property's value when set (at least 1). */
    public static int configured() {
        return Math.max(1, Integer.getInteger(PROPERTY, DEFAULT));
    }

    /**
     * The results of {@code tasks}, in their order, run on at most {@code lanes} threads at once.
     * Every lane finishes before a failure is thrown (the first task's in order that failed), so
     * no call of a failed observe is still under way when it returns.
     */
    public static <T> List<T> run(List<Supplier<T>> tasks, int lanes) {
        int width = Math.min(lanes, tasks.size());
        if (width <= 1) {
            return tasks.stream().map(Supplier::get).toList();
        }
        List<Outcome<T>> outcomes = new ArrayList<>();
        tasks.forEach(t -> outcomes.add(new Outcome<>()));
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int lane = 1; lane < width; lane++) {
            int first = lane;
            others.add(CompletableFuture.runAsync(() -> runLane(tasks, outcomes, first, width), THREADS));
        }
        runLane(tasks, outcomes, 0, width);
        others.forEach(f -> {
            try {
                f.join();
            } catch (CompletionException e) {
                // runLane records every failure in its outcome; nothing else throws.
            }
        });
        List<T> results = new ArrayList<>(tasks.size());
        for (Outcome<T> o : outcomes) {
            if (o.failure instanceof RuntimeException e) {
                throw e;
            }
            if (o.failure instanceof Error e) {
                throw e;
            }
            results.add(o.value);
        }
        return results;
    }

    /** Tasks {@code first}, {@code first + width}, … one after another. */
    private static <T> void runLane(List<Supplier<T>> tasks, List<Outcome<T>> outcomes, int first, int width) {
        for (int i = first; i < tasks.size(); i += width) {
            Outcome<T> o = outcomes.get(i);
            try {
                o.value = tasks.get(i).get();
            } catch (RuntimeException | Error e) {
                o.failure = e;
            }
        }
    }

    private static final class Outcome<T> {
        volatile T value;
        volatile Throwable failure;
    }
}
