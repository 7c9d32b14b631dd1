package io.terrace.reconciler.http.view;

import java.util.List;
import java.util.Optional;

/**
 * The fleet page: counts per status over every environment, the filters with their choices, and
 * one page of the environments that pass them.
 *
 * @param matched environments that pass the filters, over every page
 */
public record FleetView(Page page, List<Count> counts, List<Filter> filters, String query, List<Row> rows,
                        int total, int matched, int pageNumber, int pages, Optional<String> previous,
                        Optional<String> next) {

    /** An environment count for one status; {@code href} filters the list on it. */
    public record Count(String status, int count, String href, boolean selected) {}

    /** A select box: its parameter, label, choices and the one chosen ("" for all). */
    public record Filter(String name, String label, List<String> options, String selected) {}

    /** One environment in the list; {@code paused} disables its sync button, with the reason. */
    public record Row(String name, String status, String reason, String health, String healthReason, String tier,
                      String stage, String client, String region, long pending, int drifted,
                      Optional<Moment> lastPass, Optional<String> progress, Optional<String> paused) {}
}
