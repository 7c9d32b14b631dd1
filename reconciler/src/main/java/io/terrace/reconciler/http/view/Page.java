package io.terrace.reconciler.http.view;

import java.util.Optional;

/**
 * What every page shows around its content: its title, the branch and commit followed, and the
 * banners (a committed {@code PAUSE}, a head that cannot be read).
 */
public record Page(String title, String branch, String commit, Optional<Moment> lastSync,
                   Optional<String> pause, Optional<String> notReady) {}
