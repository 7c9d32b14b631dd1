package io.terrace.reconciler.github;

import io.terrace.planner.MarkdownPlanRenderer;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Plan;
import io.terrace.planner.PlanOptions;
import io.terrace.planner.Planner;
import io.terrace.reconciler.engine.Observer;
import io.terrace.reconciler.git.PullRequestScope;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;

/**
 * Plans a pull request and keeps its sticky comment: fetch the pull request's head into the
 * daemon's clone, plan the environments it touches against live state, render the Markdown
 * comment and post or edit it. The same plan {@code terrace plan --base --head --format markdown}
 * prints, so a comment from the daemon and one from a CI job look alike.
 */
public final class PullRequestCommenter {

    /** Brings a pull request's commits into the clone. */
    @FunctionalInterface
    public interface Fetch {
        void fetch(Repository repo, PullRequestEvent event) throws GitAPIException;

        /**
         * From the {@code origin} remote: the pull request's head ({@code refs/pull/N/head},
         * which GitHub keeps in the base repository even for forks) and the base branch.
         */
        Fetch FROM_ORIGIN = (repo, event) -> Git.wrap(repo).fetch()
                .setRemote("origin")
                .setRefSpecs("+" + event.headRef() + ":refs/terrace/pull/" + event.pullRequest().number() + "/head",
                        "+refs/heads/" + event.baseRef() + ":refs/remotes/origin/" + event.baseRef())
                .call();
    }

    /** What one pull request's plan came to. */
    public record Result(PullRequestEvent event, Plan plan, GitHubComments.Outcome comment) {}

    private final Repository repo;
    private final Fetch fetch;
    private final Observer observer;
    private final PlanOptions options;
    private final GitHubComments comments;

    public PullRequestCommenter(Repository repo, Fetch fetch, Observer observer, PlanOptions options,
            GitHubComments comments) {
        this.repo = repo;
        this.fetch = fetch;
        this.observer = observer;
        this.options = options;
        this.comments = comments;
    }

    /**
     * Plans the pull request's head against its base and posts or updates the comment.
     *
     * @throws IllegalStateException when the commits cannot be fetched
     * @throws GitHubException       when GitHub refuses the comment
     */
    public Result plan(PullRequestEvent event) {
        try {
            fetch.fetch(repo, event);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot fetch " + event.headRef() + " for " + event.pullRequest()
                    + ": " + e.getMessage(), e);
        }
        // The SHAs GitHub delivered, not branch names: a later push must not change what this plans.
        PullRequestScope scope = PullRequestScope.of(repo, event.baseSha(), event.headSha());
        ObservedState live = scope.environments().isEmpty()
                ? ObservedState.EMPTY
                : scope.restrict(observer.observe(scope.environments()));
        Plan plan = new Planner(options).plan(scope.snapshot().specs(), scope.snapshot().revisions(), live);
        String markdown = new MarkdownPlanRenderer(scope.headCommit()).render(plan);
        return new Result(event, plan, comments.upsert(event.pullRequest(), markdown));
    }
}
