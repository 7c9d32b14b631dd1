package io.terrace.reconciler.engine;

import java.util.Optional;

/**
 * Asked by the executor before every wave: a reason to stop (a PAUSE file committed, shutdown)
 * ends the apply between two waves, never inside one.
 */
@FunctionalInterface
public interface StopSignal {

    StopSignal NEVER = Optional::empty;

    Optional<String> stopReason();
}
