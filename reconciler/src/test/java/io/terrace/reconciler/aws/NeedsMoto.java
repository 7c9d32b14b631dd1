package io.terrace.reconciler.aws;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that runs against {@link Moto}: skipped as a whole, before any set-up, when no moto
 * server can be had; with {@code -Dterrace.test.requireMoto=true} (as in CI) it runs and fails
 * instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsMoto.Condition.class)
public @interface NeedsMoto {

    /** Enables the class when moto is reachable or required. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Boolean.getBoolean("terrace.test.requireMoto")) {
                return ConditionEvaluationResult.enabled("moto is required");
            }
            return Moto.find()
                    .map(uri -> ConditionEvaluationResult.enabled("moto at " + uri))
                    .orElseGet(() -> ConditionEvaluationResult.disabled(
                            "no moto endpoint and no Docker engine: run the tests through scripts/test"));
        }
    }
}
