package io.terrace.reconciler.daemon;

/** What a pass does with its plan: apply it, or hold it with a condition and a reason. */
sealed interface Decision {

    /** @param correctsDrift the changes are drift at the applied revision, not a new spec */
    record Apply(boolean correctsDrift) implements Decision {}

    /** @param outcome the plan outcome recorded in history ({@code paused}, {@code blocked}, …) */
    record Hold(Condition condition, String reason, String outcome) implements Decision {}
}
