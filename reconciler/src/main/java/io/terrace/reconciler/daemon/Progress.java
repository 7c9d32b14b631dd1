package io.terrace.reconciler.daemon;

import java.time.Instant;

/**
 * What a pass of one environment is doing right now, for the dashboard: its phase
 * ({@code observing}, {@code planning}, {@code applying}), the step within it (the wave being
 * applied), and since when the pass runs.
 */
public record Progress(String phase, String step, Instant since) {}
