package io.terrace.reconciler.github;

import java.util.regex.Pattern;

/** A pull request of a GitHub repository, as {@code OWNER/REPO} and number. */
public record PullRequest(String owner, String repo, int number) {

    // GitHub's own limits: owners are alphanumerics and hyphens, repositories add '.' and '_'.
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public PullRequest {
        if (!OWNER.matcher(owner).matches() || !REPO.matcher(repo).matches() || repo.equals(".") || repo.equals("..")) {
            throw new IllegalArgumentException("'" + owner + "/" + repo + "' is not a GitHub repository (OWNER/REPO)");
        }
        if (number < 1) {
            throw new IllegalArgumentException("pull request number must be at least 1, got " + number);
        }
    }

    /** Parses {@code OWNER/REPO}. */
    public static PullRequest of(String ownerSlashRepo, int number) {
        int slash = ownerSlashRepo.indexOf('/');
        if (slash <= 0 || slash != ownerSlashRepo.lastIndexOf('/')) {
            throw new IllegalArgumentException("'" + ownerSlashRepo + "' is not a GitHub repository (OWNER/REPO)");
        }
        return new PullRequest(ownerSlashRepo.substring(0, slash), ownerSlashRepo.substring(slash + 1), number);
    }

    @Override
    public String toString() {
        return owner + "/" + repo + "#" + number;
    }
}
