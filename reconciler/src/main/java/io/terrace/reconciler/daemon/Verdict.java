package io.terrace.reconciler.daemon;

import io.terrace.reconciler.engine.ApplyResult;
import java.util.Optional;

/** The condition and reason an apply leaves an environment in. */
record Verdict(Condition condition, String reason) {

    /**
     * @param pauseNow     the pause the stop signal saw, if any: a stopped apply is then paused
     * @param correctedDrift the apply corrected drift rather than applying a new spec
     */
    static Verdict of(ApplyResult r, Optional<String> pauseNow, boolean correctedDrift) {
        return switch (r.outcome()) {
            case APPLIED, NO_CHANGES -> new Verdict(Condition.SYNCED, "applied " + r.steps().stream()
                    .filter(s -> s.status() == ApplyResult.Status.SUCCEEDED).count()
                    + " change(s)" + (correctedDrift ? ", correcting drift" : ""));
            case STOPPED -> new Verdict(pauseNow.isPresent() ? Condition.PAUSED : Condition.OUT_OF_SYNC,
                    "apply stopped between waves: "
                            + r.error().orElse(pauseNow.map(p -> "paused: " + p).orElse("stopped")));
            case PAUSED -> new Verdict(Condition.PAUSED, r.error().orElse("paused"));
            case BLOCKED -> new Verdict(Condition.OUT_OF_SYNC, r.error().orElse("blocked"));
            case INVALID -> new Verdict(Condition.INVALID, r.error().orElse("invalid"));
            case FAILED -> new Verdict(Condition.FAILED, r.error().orElse("apply failed"));
        };
    }
}
