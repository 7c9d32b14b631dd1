package io.terrace.reconciler.github;

import io.terrace.planner.MarkdownPlanRenderer;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.reconciler.git.GitSource;
import io.terrace.reconciler.git.GitSourceException;
import io.terrace.reconciler.git.PullRequestScope;
import io.terrace.schema.SpecSet;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Plans a pull request and keeps its sticky comment: fetch the pull request's head and base into
 * the daemon's copy of the repository, plan the environments it touches against live state,
 * render the Markdown comment and post or edit it. It is the plan
 * {@code terrace plan --base --head --format markdown} prints, so a comment from the daemon and
 * one from a CI job look alike.
 */
public final class PullRequestCommenter {

    /** Reads live state of some environments; the specs say in which region each one lives. */
    @FunctionalInterface
    public interface LiveState {
        ObservedState observe(SpecSet specs, Collection<String> environments);
    }

    /** What one pull request's plan came to. */
    public record Result(PullRequestEvent event, Plan plan, GitHubComments.Outcome comment) {}

    private final GitSource git;
    private final LiveState live;
    private final PlanOptions options;
    private final GitHubComments comments;

    public PullRequestCommenter(GitSource git, LiveState live, PlanOptions options, GitHubComments comments) {
        this.git = git;
        this.live = live;
        this.options = options;
        this.comments = comments;
    }

    /**
     * Plans the pull request's head against its base and posts or updates the comment.
     *
     * @throws GitSourceException when the commits cannot be fetched
     * @throws GitHubException    when GitHub refuses the comment
     */
    public Result plan(PullRequestEvent event) throws GitSourceException {
        int n = event.pullRequest().number();
        // refs/pull/N/head is in the base repository even when the pull request comes from a fork.
        // Both land under refs/terrace/ so the branch the daemon follows is never moved here.
        git.fetchRefs(List.of(
                new RefSpec("+" + event.headRef() + ":refs/terrace/pull/" + n + "/head"),
                new RefSpec("+refs/heads/" + event.baseRef() + ":refs/terrace/pull/" + n + "/base")));
        // The SHAs GitHub delivered, not the refs: a later push must not change what this plans.
        PullRequestScope scope = PullRequestScope.of(git.repository(), event.baseSha(), event.headSha());
        ObservedState state = scope.environments().isEmpty()
                ? ObservedState.EMPTY
                : scope.restrict(live.observe(scope.observationSpecs(), scope.environments()));
        // Changes that would wait for an environment's maintenance window say so, with its next start.
        PlanOptions now = options.windowsAt().isPresent() ? options : options.at(java.util.Optional.of(java.time.Instant.now()));
        Plan plan = new Planner(now).plan(scope.snapshot().specs(), scope.snapshot().revisions(), state);
        String markdown = new MarkdownPlanRenderer(scope.headCommit()).render(plan);
        return new Result(event, plan, comments.upsert(event.pullRequest(), markdown));
    }
}
