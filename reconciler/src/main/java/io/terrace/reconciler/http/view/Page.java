package io.terrace.reconciler.http.view;

import java.util.List;
import java.util.Optional;

/**
 * What every page shows around its content: its title, the branch and commit followed, and the
 * banners (a committed {@code PAUSE}, a head that cannot be read or a remote that cannot be
 * fetched, a daemon condition that is failing, such as the history).
 */
public record Page(String title, String branch, String commit, Optional<Moment> lastSync,
                   Optional<String> pause, Optional<String> notReady, List<String> failing) {

    public Page {
        failing = List.copyOf(failing);
    }

    public Page(String title, String branch, String commit, Optional<Moment> lastSync, Optional<String> pause,
                Optional<String> notReady) {
        this(title, branch, commit, lastSync, pause, notReady, List.of());
    }
}
