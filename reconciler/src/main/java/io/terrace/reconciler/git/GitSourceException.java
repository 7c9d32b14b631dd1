package io.terrace.reconciler.git;

/** A fetch or read of the spec repository failed; the message names the remote and the cause. */
public final class GitSourceException extends Exception {

    public GitSourceException(String message) {
        super(message);
    }

    public GitSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
