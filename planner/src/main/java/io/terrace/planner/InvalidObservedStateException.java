package io.terrace.planner;

import java.io.IOException;

/**
 * An observed-state document that cannot be used. The message is one line naming the source and
 * the place ({@code observed.json:3:17: ...} or {@code observed.json: resources[2].type: ...}).
 */
public final class InvalidObservedStateException extends IOException {

    public InvalidObservedStateException(String message) {
        super(message);
    }
}
