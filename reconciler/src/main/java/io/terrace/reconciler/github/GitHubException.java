package io.terrace.reconciler.github;

/**
 * A GitHub API call that failed for good: a refused token, a repository or pull request that does
 * not exist, or a server error that outlasted the retries. The message is one line meant for the
 * user and never contains the token.
 */
public final class GitHubException extends RuntimeException {

    private final int status;

    public GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status GitHub answered with, or 0 when no answer arrived. */
    public int status() {
        return status;
    }
}
