package io.terrace.reconciler.cli;

import io.terrace.planner.ObservedState;
import io.terrace.reconciler.git.PullRequestScope;
import io.terrace.reconciler.git.SpecSnapshot;
import io.terrace.schema.SpecSet;
import java.nio.file.Path;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * {@code --base REF --head REF} of {@code terrace plan}: plan only the environments whose files
 * differ between two git refs, with the specs read from the head commit (see
 * {@link PullRequestScope} and docs/pull-requests.md). Without them the plan covers the
 * directory's specs as they are on disk.
 */
final class RefRangeOptions {

    @Option(names = "--base", paramLabel = "REF",
            description = "With --head: plan only environments whose files differ from this ref "
                    + "(compared with the merge base, e.g. origin/main).")
    String base;

    @Option(names = "--head", paramLabel = "REF",
            description = "With --base: the ref whose specs are planned (e.g. HEAD).")
    String head;

    private PullRequestScope scope;

    boolean given() {
        if ((base == null) != (head == null)) {
            throw new IllegalArgumentException("--base and --head go together");
        }
        return base != null;
    }

    /** The specs to plan: the head's, narrowed to the touched environments, or the directory's. */
    SpecSnapshot snapshot(Path repo) {
        if (!given()) {
            return SpecSnapshot.read(repo);
        }
        scope = PullRequestScope.of(repo, base, head);
        return scope.snapshot();
    }

    /** Live state narrowed like the specs (call after {@link #snapshot}). */
    ObservedState narrow(ObservedState live) {
        return scope == null ? live : scope.restrict(live);
    }

    /** True when the refs were given and touch no environment: nothing to observe. */
    boolean touchesNothing() {
        return scope != null && scope.environments().isEmpty();
    }

    /** The environments to observe: the touched ones, or the {@code --env} names (call after {@link #snapshot}). */
    Collection<String> observe(Collection<String> envFlag) {
        if (scope == null) {
            return envFlag;
        }
        if (envFlag.isEmpty()) {
            return scope.environments();
        }
        SortedSet<String> both = new TreeSet<>(scope.environments());
        both.retainAll(envFlag);
        // An empty list would mean "everything" to the observer; the --env filter empties the plan anyway.
        return both.isEmpty() ? scope.environments() : both;
    }

    /** Specs that tell the observer where to look, deleted environments' included. */
    SpecSet observationSpecs(SpecSnapshot snapshot) {
        return scope == null ? snapshot.specs() : scope.observationSpecs();
    }
}
