package io.terrace.reconciler.http.view;

import java.util.List;
import java.util.Optional;

/**
 * The environment page: its status and health, what a pass is doing now, the actions, the
 * resource tree, the pending plan and the drift as attribute diffs, the spec with its
 * diagnostics, and the newest passes with their commits.
 */
public record EnvironmentView(Page page, String name, String status, String reason, String health,
                              List<String> healthReasons, String tier, String stage, String client, String region,
                              String driftMode, String revision, String lastApplied, Optional<Moment> lastPass,
                              Optional<Moment> nextAttempt, Optional<String> progress, List<Action> actions,
                              List<Component> components, List<Change> pending, List<Record> records,
                              List<Drift> drifted, List<String> diagnostics, String specFile, List<SpecLine> spec,
                              List<Pass> history) {

    /**
     * A button that posts to {@code path} after the user confirms {@code confirm}; disabled with
     * the reason {@code disabled} (while paused, for one).
     */
    public record Action(String id, String label, String path, String confirm, Optional<String> disabled) {}

    /** A component of the environment and its AWS resources. */
    public record Component(String name, List<Resource> resources) {

        /** Some resource of it is not in sync: the tree shows it unfolded. */
        public boolean attention() {
            return resources.stream().anyMatch(r -> !r.state().equals("in sync"));
        }
    }

    /**
     * One AWS resource: its Terrace address, type, live state, AWS identifier and console link.
     *
     * @param state {@code in sync}, {@code drifted}, {@code missing}, {@code differs} or {@code not in spec}
     */
    public record Resource(String address, String type, String state, String awsId, Optional<String> console) {}

    /** A planned change in the words of the text plan (create, update, replace, destroy). */
    public record Change(String address, String action, Optional<String> blocked, List<Attribute> attributes) {}

    /** One attribute of a change or of a drifted resource: live value, spec value. */
    public record Attribute(String path, String live, String spec) {}

    /** A DNS record a certificate waits for. */
    public record Record(String certificate, String record) {}

    /** A drifted resource and its attributes. */
    public record Drift(String address, List<Attribute> attributes) {}

    /** A line of the spec file; {@code errors} are the diagnostics on that line. */
    public record SpecLine(int number, String text, List<String> errors) {}

    /** A pass in the history, with the commit it planned and what its apply changed. */
    public record Pass(Moment started, String kind, String trigger, String commit, String message, String author,
                       String outcome, Optional<String> error, long tookMs, List<String> changes) {}
}
