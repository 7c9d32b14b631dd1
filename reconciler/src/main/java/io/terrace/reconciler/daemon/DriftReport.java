package io.terrace.reconciler.daemon;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one drift sweep found across every environment: per environment, the resources that
 * moved away from the applied spec, what the policy does about it, and pending changes that are
 * not drift. Written to {@code <data>/reports/} and served at {@code /api/drift}.
 *
 * @param commit the spec repository commit the sweep compared against
 */
public record DriftReport(Instant generatedAt, String commit, List<Entry> environments) {

    public DriftReport {
        environments = List.copyOf(environments);
    }

    /**
     * @param state     {@code in-sync}, {@code drifted}, {@code pending} (the spec moved: changes
     *                  to apply, not drift), {@code invalid}, {@code error}
     * @param action    what the daemon does: {@code correct}, {@code report}, {@code none}, or
     *                  {@code paused: <reason>} when a pause holds the correction
     */
    public record Entry(String name, String revision, String state, String action, Optional<String> paused,
                        List<DriftedResource> drifted, int pendingChanges, List<String> diagnostics) {
        public Entry {
            drifted = List.copyOf(drifted);
            diagnostics = List.copyOf(diagnostics);
        }
    }

    public int driftedResources() {
        return environments.stream().mapToInt(e -> e.drifted().size()).sum();
    }

    public long driftedEnvironments() {
        return environments.stream().filter(e -> !e.drifted().isEmpty()).count();
    }
}
